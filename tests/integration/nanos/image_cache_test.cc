// Image building with the host's real Nanos mkfs: a manifest becomes an image once, is
// found again by the next start, and changes when a file it names changes. Skipped with
// the reason where no Nanos kernel or mkfs is installed.
#include "nanos/image_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

namespace stratus::nanos {
namespace {
namespace fs = std::filesystem;

class ImageCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    install_ = locateNanos(hostProbe());
    if (!install_.usable()) GTEST_SKIP() << "skipped: " << missingSummary(install_);
    root_ = fs::temp_directory_path() / ("nanos-images-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
    std::ofstream(root_ / "hello.txt") << "hello\n";
    manifest_.program = "/bin/true";
    manifest_.arguments = {"/bin/true"};
    manifest_.files = {{"/bin/true", "/bin/true"}, {"/data/hello.txt", (root_ / "hello.txt").string()}};
  }
  void TearDown() override {
    if (!root_.empty()) fs::remove_all(root_);
  }

  NanosInstall install_;
  fs::path root_;
  Manifest manifest_;
};

TEST_F(ImageCacheTest, BuildsOnceAndRebuildsWhenAFileChanges) {
  ImageCache cache(install_, root_ / "images", 2);
  bool built = false;
  auto first = cache.imageFor(manifest_, &built);
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_TRUE(built);
  EXPECT_GT(fs::file_size(*first), 0u);
  EXPECT_EQ(fs::status(*first).permissions() & fs::perms::all, fs::perms(0644));

  auto again = cache.imageFor(manifest_, &built);
  ASSERT_TRUE(again);
  EXPECT_FALSE(built);
  EXPECT_EQ(*again, *first);

  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::ofstream(root_ / "hello.txt") << "changed\n";
  auto changed = cache.imageFor(manifest_, &built);
  ASSERT_TRUE(changed);
  EXPECT_TRUE(built);
  EXPECT_NE(*changed, *first);
}

TEST_F(ImageCacheTest, KeepsAtMostItsLimit) {
  ImageCache cache(install_, root_ / "images", 2);
  for (int i = 0; i < 4; ++i) {
    manifest_.environment = {{"N", std::to_string(i)}};
    ASSERT_TRUE(cache.imageFor(manifest_));
  }
  int images = 0;
  for (const auto& entry : fs::directory_iterator(root_ / "images")) images += entry.path().extension() == ".img";
  EXPECT_EQ(images, 2);
}

TEST_F(ImageCacheTest, AFailedBuildLeavesNothing) {
  manifest_.files["/data/missing"] = (root_ / "does-not-exist").string();
  ImageCache cache(install_, root_ / "images");
  auto image = cache.imageFor(manifest_);
  ASSERT_FALSE(image);
  if (fs::exists(root_ / "images"))
    for (const auto& entry : fs::directory_iterator(root_ / "images")) ADD_FAILURE() << entry.path();
}

}  // namespace
}  // namespace stratus::nanos
