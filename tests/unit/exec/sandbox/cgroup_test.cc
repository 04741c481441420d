// The cgroup files we read, parsed from literal kernel text (v1 and v2).
#include "exec/sandbox/cgroup.h"

#include <gtest/gtest.h>

namespace stratus::exec::sandbox {
namespace {

TEST(CgroupParse, V1OomControl) {
  const char* text = "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n";
  EXPECT_EQ(parseFlatKey(text, "oom_kill"), 2);
  EXPECT_EQ(parseFlatKey(text, "under_oom"), 0);
  EXPECT_EQ(parseFlatKey(text, "oom"), std::nullopt);  // no prefix matches
}

TEST(CgroupParse, V2MemoryEvents) {
  const char* text = "low 0\nhigh 0\nmax 17\noom 1\noom_kill 1\noom_group_kill 0\n";
  EXPECT_EQ(parseFlatKey(text, "oom_kill"), 1);
  EXPECT_EQ(parseFlatKey(text, "max"), 17);
  EXPECT_EQ(parseFlatKey("", "oom_kill"), std::nullopt);
  EXPECT_EQ(parseFlatKey("oom_kill lots\n", "oom_kill"), std::nullopt);
}

TEST(CgroupParse, SingleValues) {
  EXPECT_EQ(parseSingleValue("134217728\n"), 134217728);
  EXPECT_EQ(parseSingleValue("max\n"), std::nullopt);  // v2 "no limit"
  EXPECT_EQ(parseSingleValue(""), std::nullopt);
}

TEST(CgroupParse, Procs) {
  EXPECT_EQ(parseProcs("12\n345\n"), (std::vector<pid_t>{12, 345}));
  EXPECT_TRUE(parseProcs("").empty());
  EXPECT_EQ(parseProcs("7\ngarbage\n0\n9"), (std::vector<pid_t>{7, 9}));
}

}  // namespace
}  // namespace stratus::exec::sandbox
