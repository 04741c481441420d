#include "blob/code_cache_folder.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <set>

#include "testing/temp_dir.h"

namespace stratus::blob {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using stratus::testing::TempDir;

const std::string kShaA(64, 'a');
const std::string kShaB(64, 'b');
const std::string kShaC(64, 'c');

// Folders and files with the modes unpackZip gives them, whatever the umask.
void makeFolder(const fs::path& path) {
  fs::create_directories(path);
  fs::permissions(path, fs::perms(0755));
}

void writeFile(const fs::path& path, const std::string& content) {
  std::ofstream(path) << content;
  fs::permissions(path, fs::perms(0644));
}

// A folder like one unpacked: `bytes` bytes in two files, one of them nested.
fs::path makeVersion(const fs::path& root, const std::string& sha, std::size_t bytes) {
  makeFolder(root / sha / "lib");
  writeFile(root / sha / "cloud.py", std::string(bytes / 2, 'x'));
  writeFile(root / sha / "lib" / "util.py", std::string(bytes - bytes / 2, 'y'));
  return root / sha;
}

std::set<std::string> names(const fs::path& root) {
  std::set<std::string> found;
  for (const auto& entry : fs::directory_iterator(root)) {
    found.insert(entry.path().filename().string());
  }
  return found;
}

TEST(IsSha256Hex, AcceptsOnlyLowercaseHexOfSixtyFourCharacters) {
  EXPECT_TRUE(isSha256Hex(kShaA));
  EXPECT_TRUE(isSha256Hex("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
  EXPECT_FALSE(isSha256Hex(std::string(63, 'a')));
  EXPECT_FALSE(isSha256Hex(std::string(65, 'a')));
  EXPECT_FALSE(isSha256Hex(std::string(64, 'A')));
  EXPECT_FALSE(isSha256Hex(std::string(62, 'a') + ".."));
  EXPECT_FALSE(isSha256Hex(""));
}

class CodeCacheFolderTest : public ::testing::Test {
 protected:
  TempDir dir_;
  PackageLimits limits_;
};

TEST_F(CodeCacheFolderTest, MeasuresTheSumOfFileSizes) {
  const fs::path version = makeVersion(dir_.path(), kShaA, 1001);
  makeFolder(version / "empty");
  auto bytes = measureCodeFolder(version, limits_);
  ASSERT_TRUE(bytes) << bytes.error().describe();
  EXPECT_EQ(*bytes, 1001u);
}

TEST_F(CodeCacheFolderTest, RefusesWhatUnpackingNeverMakes) {
  struct Case {
    const char* name;
    void (*damage)(const fs::path& version);
  };
  const Case cases[] = {
      {"symlink", [](const fs::path& v) { fs::create_symlink("/etc/passwd", v / "passwd"); }},
      {"folder symlink",
       [](const fs::path& v) { fs::create_directory_symlink("/etc", v / "etc"); }},
      {"hard link",
       [](const fs::path& v) { fs::create_hard_link(v / "cloud.py", v / "lib" / "copy.py"); }},
      {"group-writable file",
       [](const fs::path& v) { fs::permissions(v / "cloud.py", fs::perms(0664)); }},
      {"world-writable folder",
       [](const fs::path& v) { fs::permissions(v / "lib", fs::perms(0777)); }},
      {"setuid file", [](const fs::path& v) { fs::permissions(v / "cloud.py", fs::perms(04755)); }},
      {"fifo", [](const fs::path& v) { ASSERT_EQ(::mkfifo((v / "pipe").c_str(), 0644), 0); }},
  };
  for (const Case& c : cases) {
    const fs::path version = makeVersion(dir_.path() / c.name, kShaA, 100);
    c.damage(version);
    auto bytes = measureCodeFolder(version, limits_);
    ASSERT_FALSE(bytes) << c.name;
    EXPECT_EQ(bytes.error().code, "code_folder_invalid") << c.name;
  }
}

TEST_F(CodeCacheFolderTest, RefusesMoreThanThePackageLimits) {
  const fs::path version = makeVersion(dir_.path(), kShaA, 100);
  EXPECT_TRUE(measureCodeFolder(version, PackageLimits{.maxEntries = 2}));
  EXPECT_FALSE(measureCodeFolder(version, PackageLimits{.maxEntries = 1}));
  EXPECT_TRUE(measureCodeFolder(version, PackageLimits{.maxUnpackedBytes = 100}));
  EXPECT_FALSE(measureCodeFolder(version, PackageLimits{.maxUnpackedBytes = 99}));
}

TEST_F(CodeCacheFolderTest, RefusesAVersionThatIsNotAFolder) {
  writeFile(dir_.path() / kShaA, "not a folder");
  fs::create_directory_symlink(dir_.path() / "elsewhere", dir_.path() / kShaB);
  EXPECT_FALSE(measureCodeFolder(dir_.path() / kShaA, limits_));
  EXPECT_FALSE(measureCodeFolder(dir_.path() / kShaB, limits_));
  EXPECT_FALSE(measureCodeFolder(dir_.path() / kShaC, limits_));  // absent
}

TEST_F(CodeCacheFolderTest, MovesAsideToATemporaryNameBesideIt) {
  const fs::path version = makeVersion(dir_.path(), kShaA, 10);
  auto aside = moveAside(version);
  ASSERT_TRUE(aside) << aside.error().describe();
  EXPECT_FALSE(fs::exists(version));
  EXPECT_EQ(aside->parent_path(), dir_.path());
  EXPECT_TRUE(aside->filename().string().starts_with(".~remove." + kShaA + "."));
  EXPECT_TRUE(fs::exists(*aside / "lib" / "util.py"));
  EXPECT_FALSE(moveAside(version));  // nothing left to move
  EXPECT_EQ(names(dir_.path()).size(), 1u);
}

TEST_F(CodeCacheFolderTest, DiscardsFoldersFilesAndNothing) {
  makeVersion(dir_.path(), kShaA, 10);
  writeFile(dir_.path() / kShaB, "a file");
  EXPECT_TRUE(discard(dir_.path() / kShaA));
  EXPECT_TRUE(discard(dir_.path() / kShaB));
  EXPECT_TRUE(discard(dir_.path() / kShaC));
  EXPECT_TRUE(names(dir_.path()).empty());
}

TEST_F(CodeCacheFolderTest, OneProcessAtATimeHoldsTheFolder) {
  const fs::path root = dir_.path() / "code";
  auto first = lockCacheFolder(root);
  ASSERT_TRUE(first) << first.error().describe();
  auto second = lockCacheFolder(root);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(second.error().code, "code_cache_in_use");
  first->reset();
  EXPECT_TRUE(lockCacheFolder(root));
}

TEST_F(CodeCacheFolderTest, ScanListsVersionsOldestFirstAndCleansUp) {
  const fs::path root = dir_.path();
  const auto now = fs::file_time_type::clock::now();
  fs::last_write_time(makeVersion(root, kShaA, 10), now - 1h);
  fs::last_write_time(makeVersion(root, kShaB, 20), now - 3h);
  fs::last_write_time(makeVersion(root, kShaC, 30), now - 2h);
  // Left by an interrupted unpack and an interrupted removal.
  makeFolder(root / (".~unpack." + kShaA + ".Qw12Er") / "lib");
  makeFolder(root / (".~remove." + kShaB + ".Ty34Ui"));
  // Damaged versions: a link planted in one, a file where a folder should be.
  const std::string linked(64, 'd'), file(64, 'e');
  fs::create_symlink("/etc/passwd", makeVersion(root, linked, 10) / "passwd");
  writeFile(root / file, "not a folder");
  // Not ours: left alone.
  makeFolder(root / "notes");
  writeFile(root / ".lock", "");

  auto versions = scanCacheFolder(root, limits_);
  ASSERT_TRUE(versions) << versions.error().describe();
  ASSERT_EQ(versions->size(), 3u);
  EXPECT_EQ((*versions)[0].sha256, kShaB);
  EXPECT_EQ((*versions)[0].bytes, 20u);
  EXPECT_EQ((*versions)[1].sha256, kShaC);
  EXPECT_EQ((*versions)[2].sha256, kShaA);
  EXPECT_EQ(names(root), (std::set<std::string>{kShaA, kShaB, kShaC, "notes", ".lock"}));
}

TEST_F(CodeCacheFolderTest, ScanOfAnUnreadableFolderFails) {
  EXPECT_FALSE(scanCacheFolder(dir_.path() / "absent", limits_));
}

TEST_F(CodeCacheFolderTest, MarkUsedSetsTheMtimeToNow) {
  const fs::path version = makeVersion(dir_.path(), kShaA, 10);
  const auto longAgo = fs::file_time_type::clock::now() - 24h;
  fs::last_write_time(version, longAgo);
  markUsed(version);
  EXPECT_GT(fs::last_write_time(version), longAgo + 1h);
}

}  // namespace
}  // namespace stratus::blob
