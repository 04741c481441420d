#include "blob/code_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <functional>
#include <latch>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "common/crypto.h"
#include "testing/temp_dir.h"

namespace stratus::blob {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using stratus::testing::TempDir;

// Blobs in memory, counting reads; `beforeGet` lets a test hold a fetch in progress.
class MemoryBlobStore final : public BlobStore {
 public:
  Status put(std::string_view key, std::string_view data) override {
    std::lock_guard lock(mutex_);
    blobs_[std::string(key)] = std::string(data);
    return {};
  }
  Result<std::string> get(std::string_view key) override {
    ++gets;
    {
      std::lock_guard lock(mutex_);
      ++getsByKey[std::string(key)];
    }
    if (beforeGet) beforeGet(key);
    std::lock_guard lock(mutex_);
    auto found = blobs_.find(std::string(key));
    if (found == blobs_.end()) return fail(ErrorKind::not_found, "not_found", "no such blob");
    return found->second;
  }
  Status remove(std::string_view key) override {
    std::lock_guard lock(mutex_);
    blobs_.erase(std::string(key));
    return {};
  }
  Result<bool> exists(std::string_view key) override {
    std::lock_guard lock(mutex_);
    return blobs_.contains(std::string(key));
  }
  Result<std::vector<std::string>> list(std::string_view) override { return {}; }

  int getsOf(const std::string& key) {
    std::lock_guard lock(mutex_);
    return getsByKey[key];
  }

  std::atomic<int> gets{0};
  std::function<void(std::string_view key)> beforeGet;

 private:
  std::mutex mutex_;
  std::map<std::string, std::string> blobs_;
  std::map<std::string, int> getsByKey;
};

struct Version {
  std::string key;
  std::string sha;
  std::string source;
};

class CodeCacheTest : public ::testing::Test {
 protected:
  void SetUp() override { initCrypto(); }

  fs::path root() const { return dir_.path() / "cache"; }

  std::unique_ptr<CodeCache> makeCache(std::uint64_t maxBytes = 2ull << 30) {
    return std::make_unique<CodeCache>(root(), CodeCacheOptions{.maxBytes = maxBytes});
  }

  // Stores `source` as cloud.py; the version then unpacks to exactly source.size() bytes.
  Version upload(const std::string& source) {
    auto zip = zipSingleFile("cloud.py", source);
    EXPECT_TRUE(zip);
    const std::string sha = sha256Hex(*zip);
    const std::string key = codeKey("u1", "f1", sha);
    EXPECT_TRUE(blobs_.put(key, *zip));
    return {key, sha, source};
  }

  // A version of exactly `bytes` unpacked bytes, distinct for each `tag`.
  Version uploadSized(char tag, std::size_t bytes) { return upload(std::string(bytes, tag)); }

  Result<CodeLease> lease(CodeCache& cache, const Version& version) {
    return cache.materialise(blobs_, version.key, version.sha);
  }

  static std::string readFile(const fs::path& path) {
    std::ifstream file(path);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  }

  bool onDisk(const Version& version) const { return fs::exists(root() / version.sha); }

  // Everything in the cache folder but its lock file.
  std::set<std::string> folderNames() const {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(root())) {
      if (entry.path().filename() != ".lock") names.insert(entry.path().filename().string());
    }
    return names;
  }

  TempDir dir_;
  MemoryBlobStore blobs_;
};

// ---- Fetching once

TEST_F(CodeCacheTest, UnpacksIntoAFolderNamedByTheDigest) {
  auto cache = makeCache();
  const Version v1 = upload("print('v1')\n");
  auto code = lease(*cache, v1);
  ASSERT_TRUE(code) << code.error().describe();
  EXPECT_EQ(code->path(), root() / v1.sha);
  EXPECT_EQ(code->sha256(), v1.sha);
  EXPECT_EQ(readFile(code->path() / "cloud.py"), "print('v1')\n");
  EXPECT_EQ(cache->stats().bytes, v1.source.size());
}

TEST_F(CodeCacheTest, FetchesOnlyOnce) {
  auto cache = makeCache();
  const Version v1 = upload("print('v1')\n");
  ASSERT_TRUE(lease(*cache, v1));
  ASSERT_TRUE(lease(*cache, v1));
  EXPECT_EQ(blobs_.gets.load(), 1);
  const CodeCacheStats stats = cache->stats();
  EXPECT_EQ(stats.entries, 1u);
  EXPECT_EQ(stats.misses, 1u);
  EXPECT_EQ(stats.hits, 1u);
}

TEST_F(CodeCacheTest, ARestartFindsTheCodeOnDisk) {
  const Version v1 = upload("print('v1')\n");
  {
    auto cache = makeCache();
    ASSERT_TRUE(lease(*cache, v1));
  }
  auto restarted = makeCache();
  ASSERT_TRUE(restarted->open());
  EXPECT_EQ(restarted->stats().entries, 1u);
  EXPECT_EQ(restarted->stats().bytes, v1.source.size());
  auto code = lease(*restarted, v1);
  ASSERT_TRUE(code);
  EXPECT_EQ(readFile(code->path() / "cloud.py"), v1.source);
  EXPECT_EQ(blobs_.gets.load(), 1);
}

TEST_F(CodeCacheTest, SixteenThreadsAskingAtOnceFetchOnce) {
  auto cache = makeCache();
  const Version shared = upload("print('shared')\n");
  // A slow fetch, so the other threads arrive while it is in progress.
  blobs_.beforeGet = [](std::string_view) { std::this_thread::sleep_for(100ms); };
  constexpr int kThreads = 16;
  std::latch start(kThreads);
  std::atomic<int> failures{0};
  std::vector<fs::path> paths(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      auto code = lease(*cache, shared);
      if (!code || readFile(code->path() / "cloud.py") != shared.source) {
        ++failures;
        return;
      }
      paths[t] = code->path();
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(blobs_.gets.load(), 1);
  for (const fs::path& path : paths) EXPECT_EQ(path, root() / shared.sha);
  EXPECT_EQ(cache->stats().misses, 1u);
  EXPECT_EQ(cache->stats().hits, std::uint64_t(kThreads - 1));
  // Only the final folder remains: no temporary unpack folders.
  EXPECT_EQ(folderNames(), std::set<std::string>{shared.sha});
}

TEST_F(CodeCacheTest, DifferentVersionsAreFetchedInParallel) {
  auto cache = makeCache();
  const Version v1 = upload("print(1)\n");
  const Version v2 = upload("print(2)\n");
  // Each fetch waits until the other one has started: with fetches taking turns on one
  // lock, both would give up after the timeout instead.
  std::mutex mutex;
  std::condition_variable changed;
  std::set<std::string> started;
  std::atomic<int> sawTheOther{0};
  blobs_.beforeGet = [&](std::string_view key) {
    std::unique_lock lock(mutex);
    started.insert(std::string(key));
    changed.notify_all();
    if (changed.wait_for(lock, 5s, [&] { return started.size() == 2; })) ++sawTheOther;
  };
  std::thread other([&] { EXPECT_TRUE(lease(*cache, v2)); });
  EXPECT_TRUE(lease(*cache, v1));
  other.join();
  EXPECT_EQ(sawTheOther.load(), 2);
}

TEST_F(CodeCacheTest, DifferentVersionsLiveSideBySide) {
  auto cache = makeCache();
  const Version v1 = upload("print(1)\n");
  const Version v2 = upload("print(2)\n");
  auto first = lease(*cache, v1);
  auto second = lease(*cache, v2);
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_NE(first->path(), second->path());
  EXPECT_EQ(readFile(second->path() / "cloud.py"), "print(2)\n");
  EXPECT_EQ(cache->stats().bytes, v1.source.size() + v2.source.size());
}

// ---- Refusals

TEST_F(CodeCacheTest, RefusesBytesThatDoNotMatchTheDigest) {
  auto cache = makeCache();
  const Version real = upload("print('real')\n");
  ASSERT_TRUE(blobs_.put(real.key, *zipSingleFile("cloud.py", "print('swapped')\n")));
  auto code = lease(*cache, real);
  ASSERT_FALSE(code);
  EXPECT_EQ(code.error().kind, ErrorKind::internal);
  EXPECT_EQ(code.error().code, "code_checksum_mismatch");
  EXPECT_TRUE(folderNames().empty());
  EXPECT_EQ(cache->stats().entries, 0u);
}

TEST_F(CodeCacheTest, RefusesADigestThatIsNotOne) {
  auto cache = makeCache();
  for (const std::string& sha : {std::string("../../etc"), std::string(64, 'G'),
                                 std::string(63, 'a'), std::string(64, 'A')}) {
    auto code = cache->materialise(blobs_, "users/u1/x.zip", sha);
    ASSERT_FALSE(code) << sha;
    EXPECT_EQ(code.error().kind, ErrorKind::invalid_argument) << sha;
  }
  EXPECT_EQ(blobs_.gets.load(), 0);
}

TEST_F(CodeCacheTest, AMissingBlobIsNotFoundAndCanBeRetried) {
  auto cache = makeCache();
  auto zip = zipSingleFile("cloud.py", "print('late')\n");
  const Version late{codeKey("u1", "f1", sha256Hex(*zip)), sha256Hex(*zip), "print('late')\n"};
  auto code = lease(*cache, late);
  ASSERT_FALSE(code);
  EXPECT_EQ(code.error().kind, ErrorKind::not_found);
  EXPECT_FALSE(onDisk(late));
  ASSERT_TRUE(blobs_.put(late.key, *zip));
  auto retried = lease(*cache, late);
  ASSERT_TRUE(retried) << retried.error().describe();
  EXPECT_EQ(readFile(retried->path() / "cloud.py"), late.source);
}

TEST_F(CodeCacheTest, ASecondCacheOnTheSameFolderIsRefused) {
  auto first = makeCache();
  ASSERT_TRUE(first->open());
  auto second = makeCache();
  auto opened = second->open();
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(opened.error().code, "code_cache_in_use");
  const Version v1 = upload("print(1)\n");
  EXPECT_FALSE(lease(*second, v1));
}

// ---- Eviction

TEST_F(CodeCacheTest, EvictsTheLeastRecentlyUsedFirst) {
  auto cache = makeCache(300);
  const Version a = uploadSized('a', 100), b = uploadSized('b', 100), c = uploadSized('c', 100);
  ASSERT_TRUE(lease(*cache, a));
  ASSERT_TRUE(lease(*cache, b));
  ASSERT_TRUE(lease(*cache, c));
  ASSERT_TRUE(lease(*cache, a));  // a is used again: b is now the least recently used
  const Version d = uploadSized('d', 100);
  ASSERT_TRUE(lease(*cache, d));
  EXPECT_FALSE(onDisk(b));
  EXPECT_TRUE(onDisk(a) && onDisk(c) && onDisk(d));
  EXPECT_EQ(cache->stats().evictions, 1u);
  EXPECT_EQ(cache->stats().bytes, 300u);
  EXPECT_EQ(folderNames(), (std::set<std::string>{a.sha, c.sha, d.sha}));
}

TEST_F(CodeCacheTest, AnEvictedVersionIsFetchedAgain) {
  auto cache = makeCache(100);
  const Version a = uploadSized('a', 100), b = uploadSized('b', 100);
  ASSERT_TRUE(lease(*cache, a));
  ASSERT_TRUE(lease(*cache, b));
  EXPECT_FALSE(onDisk(a));
  auto again = lease(*cache, a);
  ASSERT_TRUE(again);
  EXPECT_EQ(readFile(again->path() / "cloud.py"), a.source);
  EXPECT_EQ(blobs_.getsOf(a.key), 2);
  EXPECT_EQ(cache->stats().misses, 3u);
}

TEST_F(CodeCacheTest, NeverEvictsALeasedVersion) {
  auto cache = makeCache(150);
  const Version a = uploadSized('a', 100), b = uploadSized('b', 100), c = uploadSized('c', 100);
  {
    auto holdA = lease(*cache, a);
    auto holdB = lease(*cache, b);
    auto holdC = lease(*cache, c);
    ASSERT_TRUE(holdA && holdB && holdC);
    // Over the bound, but every version is in use.
    EXPECT_EQ(cache->stats().bytes, 300u);
    EXPECT_EQ(cache->stats().evictions, 0u);
    for (const auto* hold : {&holdA, &holdB, &holdC}) {
      EXPECT_EQ(readFile((*hold)->path() / "cloud.py").size(), 100u);
    }
  }
  // Once the leases are gone the bound holds again; a, released last (leases go in reverse
  // order of declaration), is kept.
  EXPECT_LE(cache->stats().bytes, 150u);
  EXPECT_EQ(cache->stats().entries, 1u);
  EXPECT_EQ(folderNames(), std::set<std::string>{a.sha});
}

TEST_F(CodeCacheTest, AVersionLargerThanTheBoundWorksWhileLeased) {
  auto cache = makeCache(50);
  const Version big = uploadSized('x', 100);
  {
    auto first = lease(*cache, big);
    ASSERT_TRUE(first) << first.error().describe();
    auto second = lease(*cache, big);
    ASSERT_TRUE(second);
    EXPECT_EQ(readFile(second->path() / "cloud.py"), big.source);
    EXPECT_EQ(cache->stats().bytes, 100u);
  }
  EXPECT_FALSE(onDisk(big));
  EXPECT_EQ(cache->stats().bytes, 0u);
  EXPECT_EQ(cache->stats().evictions, 1u);
  EXPECT_TRUE(folderNames().empty());
}

TEST_F(CodeCacheTest, AMovedLeaseReleasesOnlyOnce) {
  auto cache = makeCache(100);
  const Version a = uploadSized('a', 100), b = uploadSized('b', 100);
  auto holdA = lease(*cache, a);
  auto holdB = lease(*cache, b);
  ASSERT_TRUE(holdA && holdB);
  CodeLease moved = std::move(*holdB);
  EXPECT_TRUE(onDisk(a) && onDisk(b));
  // Assigning over a lease releases what it held: a becomes evictable and goes.
  *holdA = std::move(moved);
  EXPECT_FALSE(onDisk(a));
  EXPECT_EQ(holdA->path(), root() / b.sha);
  EXPECT_TRUE(onDisk(b));
}

TEST_F(CodeCacheTest, EvictionRacingWithMaterialiseIsSafe) {
  // Room for two of six versions, so threads keep evicting what others fetch again.
  auto cache = makeCache(200);
  std::vector<Version> versions;
  for (char tag : std::string("abcdef")) versions.push_back(uploadSized(tag, 100));
  constexpr int kThreads = 8;
  constexpr int kRounds = 20;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 random(t);
      for (int round = 0; round < kRounds; ++round) {
        const Version& first = versions[random() % versions.size()];
        const Version& second = versions[random() % versions.size()];
        auto one = lease(*cache, first);
        auto two = lease(*cache, second);
        // While leased, each folder is whole and holds its own code.
        if (!one || readFile(one->path() / "cloud.py") != first.source) ++failures;
        if (!two || readFile(two->path() / "cloud.py") != second.source) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  const CodeCacheStats stats = cache->stats();
  EXPECT_LE(stats.bytes, 200u);
  EXPECT_EQ(stats.hits + stats.misses, std::uint64_t(2 * kThreads * kRounds));
  // The folder holds exactly the registered versions: nothing half-removed is left.
  EXPECT_EQ(folderNames().size(), stats.entries);
  for (const std::string& name : folderNames()) EXPECT_EQ(name.size(), 64u) << name;
}

// ---- Start-up

TEST_F(CodeCacheTest, ARestartKeepsTheLastUseOrder) {
  const Version a = uploadSized('a', 100), b = uploadSized('b', 100), c = uploadSized('c', 100);
  {
    auto cache = makeCache();
    ASSERT_TRUE(lease(*cache, a));
    ASSERT_TRUE(lease(*cache, b));
    ASSERT_TRUE(lease(*cache, c));
  }
  // Last use is the folder's mtime: b newest, then a, c oldest.
  const auto now = fs::file_time_type::clock::now();
  fs::last_write_time(root() / c.sha, now - 3h);
  fs::last_write_time(root() / a.sha, now - 2h);
  fs::last_write_time(root() / b.sha, now - 1h);
  // A lowered bound is applied at once, oldest first.
  auto restarted = makeCache(200);
  ASSERT_TRUE(restarted->open());
  EXPECT_EQ(folderNames(), (std::set<std::string>{a.sha, b.sha}));
  EXPECT_EQ(restarted->stats().evictions, 1u);
  // And the order goes on from there: a is evicted before b.
  const Version d = uploadSized('d', 100);
  ASSERT_TRUE(lease(*restarted, d));
  EXPECT_EQ(folderNames(), (std::set<std::string>{b.sha, d.sha}));
}

TEST_F(CodeCacheTest, ReleasingALeaseMarksTheFolderUsed) {
  auto cache = makeCache();
  const Version a = uploadSized('a', 100);
  const auto longAgo = fs::file_time_type::clock::now() - 24h;
  {
    auto hold = lease(*cache, a);
    ASSERT_TRUE(hold);
    fs::last_write_time(hold->path(), longAgo);
  }
  EXPECT_GT(fs::last_write_time(root() / a.sha), longAgo + 1h);
}

TEST_F(CodeCacheTest, ARestartClearsLeftoversAndDamagedVersions) {
  const Version good = uploadSized('g', 100), damaged = uploadSized('d', 100);
  {
    auto cache = makeCache();
    ASSERT_TRUE(lease(*cache, good));
    ASSERT_TRUE(lease(*cache, damaged));
  }
  // An unpack and an eviction cut short, and a version someone put a link into.
  fs::create_directories(root() / (".~unpack." + good.sha + ".Ab12Cd") / "lib");
  fs::create_directories(root() / (".~remove." + good.sha + ".Xy34Zw"));
  fs::create_symlink("/etc/passwd", root() / damaged.sha / "passwd");
  auto restarted = makeCache();
  ASSERT_TRUE(restarted->open());
  EXPECT_EQ(folderNames(), std::set<std::string>{good.sha});
  EXPECT_EQ(restarted->stats().entries, 1u);
  // The damaged version is fetched and unpacked afresh.
  auto code = lease(*restarted, damaged);
  ASSERT_TRUE(code);
  EXPECT_FALSE(fs::exists(fs::symlink_status(code->path() / "passwd")));
  EXPECT_EQ(blobs_.getsOf(damaged.key), 2);
}

TEST_F(CodeCacheTest, AFolderTheIndexDoesNotKnowIsReplaced) {
  auto cache = makeCache();
  ASSERT_TRUE(cache->open());
  const Version v1 = upload("print('real')\n");
  // Appears after start-up, so no scan checked it.
  fs::create_directories(root() / v1.sha);
  std::ofstream(root() / v1.sha / "cloud.py") << "print('planted')\n";
  auto code = lease(*cache, v1);
  ASSERT_TRUE(code) << code.error().describe();
  EXPECT_EQ(readFile(code->path() / "cloud.py"), v1.source);
}

using CodeCacheDeathTest = CodeCacheTest;

TEST_F(CodeCacheDeathTest, ALeaseMustNotOutliveItsCache) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const Version v1 = upload("print(1)\n");
  EXPECT_DEATH(
      {
        auto cache = makeCache();
        auto code = lease(*cache, v1);
        cache.reset();
      },
      "lease is alive");
}

}  // namespace
}  // namespace stratus::blob
