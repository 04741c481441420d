#include "blob/code_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "blob/local/local_blob_store.h"
#include "common/crypto.h"
#include "testing/temp_dir.h"

namespace stratus::blob {
namespace {

using stratus::testing::TempDir;

// A local store that counts reads, to prove the cache fetches once.
class CountingBlobStore final : public BlobStore {
 public:
  explicit CountingBlobStore(BlobStorePtr inner) : inner_(std::move(inner)) {}
  Status put(std::string_view key, std::string_view data) override {
    return inner_->put(key, data);
  }
  Result<std::string> get(std::string_view key) override {
    ++gets;
    return inner_->get(key);
  }
  Status remove(std::string_view key) override { return inner_->remove(key); }
  Result<bool> exists(std::string_view key) override { return inner_->exists(key); }
  Result<std::vector<std::string>> list(std::string_view prefix) override {
    return inner_->list(prefix);
  }
  std::atomic<int> gets{0};

 private:
  BlobStorePtr inner_;
};

class CodeCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    initCrypto();
    auto local = openLocalBlobStore(dir_.path() / "blobs");
    ASSERT_TRUE(local);
    blobs_ = std::make_unique<CountingBlobStore>(std::move(*local));
    cache_ = std::make_unique<CodeCache>(dir_.path() / "cache");
  }

  // Uploads `source` as cloud.py; returns {key, sha256}.
  std::pair<std::string, std::string> upload(const std::string& source) {
    auto zip = zipSingleFile("cloud.py", source);
    EXPECT_TRUE(zip);
    const std::string sha = sha256Hex(*zip);
    const std::string key = codeKey("u1", "f1", sha);
    EXPECT_TRUE(blobs_->put(key, *zip));
    return {key, sha};
  }

  static std::string readFile(const std::filesystem::path& path) {
    std::ifstream file(path);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  }

  TempDir dir_;
  std::unique_ptr<CountingBlobStore> blobs_;
  std::unique_ptr<CodeCache> cache_;
};

TEST_F(CodeCacheTest, UnpacksIntoAFolderNamedByTheDigest) {
  const auto [key, sha] = upload("print('v1')\n");
  auto path = cache_->materialise(*blobs_, key, sha);
  ASSERT_TRUE(path) << path.error().describe();
  EXPECT_EQ(*path, dir_.path() / "cache" / sha);
  EXPECT_EQ(readFile(*path / "cloud.py"), "print('v1')\n");
}

TEST_F(CodeCacheTest, FetchesOnlyOnce) {
  const auto [key, sha] = upload("print('v1')\n");
  ASSERT_TRUE(cache_->materialise(*blobs_, key, sha));
  ASSERT_TRUE(cache_->materialise(*blobs_, key, sha));
  EXPECT_EQ(blobs_->gets.load(), 1);
  // A second cache on the same folder (a restarted process) finds it on disk.
  CodeCache restarted(dir_.path() / "cache");
  ASSERT_TRUE(restarted.materialise(*blobs_, key, sha));
  EXPECT_EQ(blobs_->gets.load(), 1);
}

TEST_F(CodeCacheTest, ManyThreadsAskingAtOnceUnpackOnce) {
  const auto [key, sha] = upload("print('shared')\n");
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      auto path = cache_->materialise(*blobs_, key, sha);
      if (!path || readFile(*path / "cloud.py") != "print('shared')\n") ++failures;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(blobs_->gets.load(), 1);
  // Only the final folder remains: no temporary unpack folders.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_.path() / "cache"),
                          std::filesystem::directory_iterator()),
            1);
}

TEST_F(CodeCacheTest, DifferentVersionsLiveSideBySide) {
  const auto [key1, sha1] = upload("print(1)\n");
  const auto [key2, sha2] = upload("print(2)\n");
  auto first = cache_->materialise(*blobs_, key1, sha1);
  auto second = cache_->materialise(*blobs_, key2, sha2);
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_NE(*first, *second);
  EXPECT_EQ(readFile(*second / "cloud.py"), "print(2)\n");
}

TEST_F(CodeCacheTest, RefusesBytesThatDoNotMatchTheDigest) {
  const auto [key, sha] = upload("print('real')\n");
  ASSERT_TRUE(blobs_->put(key, *zipSingleFile("cloud.py", "print('swapped')\n")));
  auto path = cache_->materialise(*blobs_, key, sha);
  ASSERT_FALSE(path);
  EXPECT_EQ(path.error().kind, ErrorKind::internal);
  EXPECT_EQ(path.error().code, "code_checksum_mismatch");
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "cache" / sha));
}

TEST_F(CodeCacheTest, RefusesADigestThatIsNotOne) {
  for (const std::string& sha : {std::string("../../etc"), std::string(64, 'G'),
                                 std::string(63, 'a'), std::string(64, 'A')}) {
    auto path = cache_->materialise(*blobs_, "users/u1/x.zip", sha);
    ASSERT_FALSE(path) << sha;
    EXPECT_EQ(path.error().kind, ErrorKind::invalid_argument) << sha;
  }
  EXPECT_EQ(blobs_->gets.load(), 0);
}

TEST_F(CodeCacheTest, AMissingBlobIsNotFoundAndCanBeRetried) {
  const std::string sha(64, 'a');
  auto path = cache_->materialise(*blobs_, "users/u1/missing.zip", sha);
  ASSERT_FALSE(path);
  EXPECT_EQ(path.error().kind, ErrorKind::not_found);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "cache" / sha));
}

}  // namespace
}  // namespace stratus::blob
