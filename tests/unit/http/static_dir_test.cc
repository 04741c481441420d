#include "http/static_dir.h"

#include <gtest/gtest.h>

#include <fstream>

#include "common/crypto.h"
#include "testing/temp_dir.h"

namespace stratus::http {
namespace {

void write(const std::filesystem::path& file, const std::string& content) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << content;
}

class StaticDirTest : public ::testing::Test {
 protected:
  void SetUp() override { initCrypto(); }
  stratus::testing::TempDir dir_;
};

TEST_F(StaticDirTest, LoadsFilesAndSkipsLinksAndDotfiles) {
  const auto& root = dir_.path();
  write(root / "index.html", "<html>");
  write(root / "assets" / "app-1.js", "js");
  write(root / ".env", "SECRET=1");
  write(root / ".git" / "config", "x");
  stratus::testing::TempDir outside;
  write(outside.path() / "secret.txt", "secret");
  std::filesystem::create_symlink(outside.path() / "secret.txt", root / "leak.txt");
  std::filesystem::create_directory_symlink(outside.path(), root / "assets" / "linked");

  auto site = loadStaticDir(root);
  ASSERT_TRUE(site) << site.error().describe();
  EXPECT_EQ(site->fileCount(), 2u);
  EXPECT_TRUE(site->file("index.html"));
  EXPECT_TRUE(site->file("assets/app-1.js"));
  EXPECT_FALSE(site->file(".env"));
  EXPECT_FALSE(site->file("leak.txt"));
  EXPECT_FALSE(site->file("assets/linked/secret.txt"));
  EXPECT_EQ(site->totalBytes(), 8u);
}

TEST_F(StaticDirTest, RefusesAFolderWithoutIndex) {
  write(dir_.path() / "assets" / "a.js", "js");
  auto site = loadStaticDir(dir_.path());
  ASSERT_FALSE(site);
  EXPECT_EQ(site.error().code, "web_dir_no_index");
}

TEST_F(StaticDirTest, RefusesAMissingFolder) {
  auto site = loadStaticDir(dir_.path() / "nope");
  ASSERT_FALSE(site);
  EXPECT_EQ(site.error().code, "web_dir_missing");
}

TEST_F(StaticDirTest, RefusesMoreThanTheByteLimit) {
  write(dir_.path() / "index.html", std::string(600, 'x'));
  write(dir_.path() / "assets" / "big.js", std::string(600, 'y'));
  auto site = loadStaticDir(dir_.path(), StaticDirLimits{.maxTotalBytes = 1000});
  ASSERT_FALSE(site);
  EXPECT_EQ(site.error().code, "web_dir_too_large");
  EXPECT_TRUE(loadStaticDir(dir_.path(), StaticDirLimits{.maxTotalBytes = 1200}));
}

}  // namespace
}  // namespace stratus::http
