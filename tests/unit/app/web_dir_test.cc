#include "app/web_dir.h"

#include <gtest/gtest.h>

#include <set>

namespace stratus::app {
namespace {

auto having(std::set<std::filesystem::path> folders) {
  return [folders](const std::filesystem::path& dir) { return folders.contains(dir); };
}

TEST(WebDir, AGivenFolderIsTakenAsIs) {
  auto choice = chooseWebDir("dist", "prefix/bin", having({}));
  ASSERT_TRUE(choice);
  EXPECT_EQ(choice->dir, "dist");
  EXPECT_TRUE(choice->given);
}

TEST(WebDir, TheBuildTreeComesFirst) {
  auto choice = chooseWebDir("", "build/src", having({"build/web", "build/share/stratus/web"}));
  ASSERT_TRUE(choice);
  EXPECT_EQ(choice->dir, "build/web");
  EXPECT_FALSE(choice->given);
}

TEST(WebDir, ThenTheInstalledPrefix) {
  auto choice = chooseWebDir("", "prefix/bin", having({"prefix/share/stratus/web"}));
  ASSERT_TRUE(choice);
  EXPECT_EQ(choice->dir, "prefix/share/stratus/web");
}

TEST(WebDir, NoneWithoutAnIndex) {
  EXPECT_FALSE(chooseWebDir("", "prefix/bin", having({})));
  EXPECT_FALSE(chooseWebDir("", "", having({"../web"})));
}

TEST(WebDir, OffServesNoneEvenWhenOneIsBuilt) {
  EXPECT_FALSE(chooseWebDir("off", "build/src", having({"build/web"})));
}

}  // namespace
}  // namespace stratus::app
