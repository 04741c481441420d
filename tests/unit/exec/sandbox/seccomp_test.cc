#include "exec/sandbox/seccomp.h"

#include <gtest/gtest.h>

#include "exec/sandbox/contain.h"

namespace stratus::exec::sandbox {
namespace {

TEST(Seccomp, BuildsABpfProgram) {
  auto program = buildSeccompProgram();
  ASSERT_TRUE(program) << program.error().describe();
  // An architecture check, the deny rules and a default: far more than a trivial filter.
  EXPECT_GT(program->instructions.size(), 50u);
  EXPECT_EQ(program->program().len, program->instructions.size());
}

TEST(Contain, FailedStepsAreDescribed) {
  std::vector<FsOp> ops{{FsOp::Kind::mkdir, "/r/usr", "", "", 0, ""}};
  EXPECT_EQ(describeStep(kFsOpBase, ops), "create directory /r/usr");
  EXPECT_EQ(describeStep(kSeccomp, ops), "install the seccomp filter");
  EXPECT_EQ(describeStep(99999, ops), "step 99999");
}

}  // namespace
}  // namespace stratus::exec::sandbox
