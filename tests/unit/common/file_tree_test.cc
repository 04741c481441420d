#include "common/file_tree.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "testing/temp_dir.h"

namespace stratus {
namespace {

void write(const std::filesystem::path& file, const std::string& content) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << content;
}

class FileTreeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write(root() / "cloud.py", "print(1)\n");
    write(root() / "lib" / "util.py", "x = 1\n");
    write(root() / ".hidden", "h");
    write(outside_.path() / "secret", "secret");
    std::filesystem::create_symlink(outside_.path() / "secret", root() / "link");
    std::filesystem::create_directory_symlink(outside_.path(), root() / "lib" / "out");
    ::mkfifo((root() / "fifo").c_str(), 0600);
  }
  const std::filesystem::path& root() const { return dir_.path(); }
  stratus::testing::TempDir dir_, outside_;
};

TEST_F(FileTreeTest, ListsRegularFilesSortedWithoutFollowingLinks) {
  auto listing = listTree(root());
  ASSERT_TRUE(listing) << listing.error().describe();
  std::vector<std::string> paths;
  for (const auto& file : listing->files) paths.push_back(file.path);
  EXPECT_EQ(paths, (std::vector<std::string>{".hidden", "cloud.py", "lib/util.py"}));
  EXPECT_EQ(listing->files[1].size, 9u);
  EXPECT_EQ(listing->skipped, 3u);  // two links and the fifo
}

TEST_F(FileTreeTest, SkipsDotfilesWhenAsked) {
  auto listing = listTree(root(), {.skipDotfiles = true});
  ASSERT_TRUE(listing);
  EXPECT_EQ(listing->files.size(), 2u);
}

TEST_F(FileTreeTest, RefusesTooManyFiles) {
  auto listing = listTree(root(), {.maxFiles = 2});
  ASSERT_FALSE(listing);
  EXPECT_EQ(listing.error().code, "tree_too_many_files");
}

TEST_F(FileTreeTest, ReadsTheStartOfAFile) {
  auto whole = readTreeFile(root(), "lib/util.py", 100);
  ASSERT_TRUE(whole) << whole.error().describe();
  EXPECT_EQ(whole->bytes, "x = 1\n");
  EXPECT_EQ(whole->size, 6u);
  auto head = readTreeFile(root(), "cloud.py", 5);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->bytes, "print");
  EXPECT_EQ(head->size, 9u);
}

TEST_F(FileTreeTest, NeverLeavesTheTreeOrFollowsALink) {
  for (auto path : {"link", "lib/out/secret", "../" , "lib/../cloud.py", "/etc/passwd", "",
                    "lib", "fifo", "missing", "lib//util.py", "./cloud.py"}) {
    auto read = readTreeFile(root(), path, 100);
    ASSERT_FALSE(read) << path;
    EXPECT_EQ(read.error().kind, ErrorKind::not_found) << path;
    EXPECT_EQ(read.error().code, "file_not_found") << path;
  }
}

}  // namespace
}  // namespace stratus
