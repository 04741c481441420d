// The rootfs plan is data: check its security properties without running it.
#include "exec/sandbox/rootfs.h"

#include <gtest/gtest.h>
#include <sys/mount.h>

#include <algorithm>

namespace stratus::exec::sandbox {
namespace {

std::vector<FsOp> plan() {
  RootfsSpec spec;
  spec.root = "/run/x/root";
  spec.codeDir = "/data/code/abc";
  spec.tmpSizeMb = 32;
  return buildRootfsPlan(spec);
}

TEST(RootfsPlan, StartsPrivateSoNothingPropagatesToTheHost) {
  auto ops = plan();
  ASSERT_FALSE(ops.empty());
  EXPECT_EQ(ops[0].kind, FsOp::Kind::mount);
  EXPECT_EQ(ops[0].b, "/");
  EXPECT_EQ(ops[0].flags, static_cast<unsigned long>(MS_REC | MS_PRIVATE));
}

TEST(RootfsPlan, EveryHostBindIsFollowedByAReadOnlyRemount) {
  auto ops = plan();
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const auto& op = ops[i];
    if (op.kind != FsOp::Kind::mount || !(op.flags & MS_BIND) || (op.flags & MS_REMOUNT)) continue;
    if (op.a.starts_with("/dev/")) continue;  // device nodes: nothing to write to
    ASSERT_LT(i + 1, ops.size());
    const auto& next = ops[i + 1];
    EXPECT_TRUE(next.flags & MS_REMOUNT) << op.describe();
    EXPECT_TRUE(next.flags & MS_RDONLY) << op.describe();
    EXPECT_TRUE(next.flags & MS_NOSUID) << op.describe();
    EXPECT_TRUE(next.flags & MS_NODEV) << op.describe();
    EXPECT_EQ(next.b, op.b);
  }
}

TEST(RootfsPlan, CodeIsAtVarTaskAndTmpIsBounded) {
  auto ops = plan();
  auto code = std::find_if(ops.begin(), ops.end(), [](const FsOp& op) {
    return op.a == "/data/code/abc" && op.b == "/run/x/root/var/task";
  });
  EXPECT_NE(code, ops.end());
  auto tmp = std::find_if(ops.begin(), ops.end(),
                          [](const FsOp& op) { return op.b == "/run/x/root/tmp"; });
  ASSERT_NE(tmp, ops.end());
  EXPECT_EQ(tmp->data, "size=32m,mode=1777");
  EXPECT_TRUE(tmp->flags & MS_NOSUID);
}

TEST(RootfsPlan, EndsPivotedDetachedAndReadOnly) {
  auto ops = plan();
  auto pivot = std::find_if(ops.begin(), ops.end(),
                            [](const FsOp& op) { return op.kind == FsOp::Kind::pivotRoot; });
  ASSERT_NE(pivot, ops.end());
  auto detach = std::find_if(pivot, ops.end(), [](const FsOp& op) {
    return op.kind == FsOp::Kind::unmount && op.a == "/.old";
  });
  EXPECT_NE(detach, ops.end());
  const auto& last = ops.back();
  EXPECT_EQ(last.b, "/");
  EXPECT_TRUE(last.flags & MS_RDONLY);
  // Only the pid namespace's own /proc, mounted fresh, never the host's.
  EXPECT_TRUE(std::any_of(ops.begin(), ops.end(),
                          [](const FsOp& op) { return op.fsType == "proc"; }));
  EXPECT_FALSE(std::any_of(ops.begin(), ops.end(), [](const FsOp& op) {
    return (op.flags & MS_BIND) && (op.a == "/proc" || op.a == "/sys" || op.a == "/");
  }));
}

}  // namespace
}  // namespace stratus::exec::sandbox
