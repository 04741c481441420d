// The scratch root's removal: everything in it goes, nothing outside it does, and mounts
// under it are found (deepest first) before anything is deleted.
#include "app/scratch_root.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "testing/temp_dir.h"

namespace stratus::app {
namespace {

namespace fs = std::filesystem;

TEST(MountPointsUnder, DeepestFirstAndOnlyUnderTheFolder) {
  const char* mountinfo =
      "22 1 0:21 / /proc rw,nosuid - proc proc rw\n"
      "101 22 0:50 / /var/tmp/stratus-rootfs-x/root/proc rw - proc proc rw\n"
      "102 22 0:51 / /var/tmp/stratus-rootfs-x/root/sys rw - sysfs sysfs rw\n"
      "103 102 0:52 / /var/tmp/stratus-rootfs-x/root/sys/fs/cgroup rw - tmpfs t rw\n"
      "104 22 0:53 / /var/tmp/stratus-rootfs-xy/root/proc rw - proc proc rw\n"
      "105 22 0:54 / /var/tmp/stratus-rootfs-x/root/with\\040space rw - tmpfs t rw\n"
      "truncated line\n";
  EXPECT_EQ(mountPointsUnder(mountinfo, "/var/tmp/stratus-rootfs-x"),
            (std::vector<std::string>{"/var/tmp/stratus-rootfs-x/root/sys/fs/cgroup",
                                      "/var/tmp/stratus-rootfs-x/root/with space",
                                      "/var/tmp/stratus-rootfs-x/root/proc",
                                      "/var/tmp/stratus-rootfs-x/root/sys"}));
  EXPECT_TRUE(mountPointsUnder(mountinfo, "/elsewhere").empty());
  EXPECT_TRUE(mountPointsUnder("", "/var/tmp").empty());
}

TEST(ScratchRoot, CreatesAPrivateFolderWithAnOpenRoot) {
  testing::TempDir parent;
  auto scratch = ScratchRoot::create(parent.path() / "work", "stratus-rootfs-test");
  ASSERT_TRUE(scratch) << scratch.error().describe();
  struct stat folder {
  }, root{};
  ASSERT_EQ(::stat(scratch->folder().c_str(), &folder), 0);
  ASSERT_EQ(::stat(scratch->root().c_str(), &root), 0);
  EXPECT_EQ(folder.st_mode & 0777, 0700u);
  EXPECT_EQ(root.st_mode & 0777, 0755u);
  EXPECT_TRUE(scratch->folder().filename().string().starts_with("stratus-rootfs-test-"));
}

TEST(ScratchRoot, RemovesItsTreeButNothingALinkPointsTo) {
  testing::TempDir parent;
  const fs::path outside = parent.path() / "outside";
  fs::create_directories(outside / "keep");
  std::ofstream(outside / "keep" / "file") << "precious";
  fs::path folder;
  {
    auto scratch = ScratchRoot::create(parent.path(), "stratus-rootfs-test");
    ASSERT_TRUE(scratch);
    folder = scratch->folder();
    const fs::path root = scratch->root();
    fs::create_directories(root / "usr" / "lib");
    std::ofstream(root / "usr" / "lib" / "libx.so") << "x";
    fs::create_symlink(outside, root / "host-link");  // absolute, out of the root
    fs::create_symlink("usr/lib", root / "lib");      // relative, merged-usr style
    fs::permissions(root / "usr" / "lib", fs::perms::owner_read | fs::perms::owner_exec);
    // Goes out of scope: the destructor removes it.
  }
  EXPECT_FALSE(fs::exists(folder));
  EXPECT_TRUE(fs::exists(outside / "keep" / "file"));
}

TEST(ScratchRoot, RemoveIsIdempotentAndMovesCarryOwnership) {
  testing::TempDir parent;
  auto scratch = ScratchRoot::create(parent.path(), "s");
  ASSERT_TRUE(scratch);
  ScratchRoot moved = std::move(*scratch);
  EXPECT_TRUE(scratch->folder().empty());
  EXPECT_TRUE(fs::exists(moved.folder()));
  const fs::path folder = moved.folder();
  EXPECT_TRUE(moved.remove());
  EXPECT_TRUE(moved.remove());
  EXPECT_FALSE(fs::exists(folder));
}

}  // namespace
}  // namespace stratus::app
