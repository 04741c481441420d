// Child processes: output captured, status reported, and nothing left running when the
// owner goes early.
#include "app/child_process.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

namespace stratus::app {
namespace {

TEST(ChildProcess, RunsToTheEndAndCapturesOutput) {
  auto output = runToEnd({"sh", "-c", "echo out; echo err >&2"});
  ASSERT_TRUE(output) << output.error().describe();
  EXPECT_EQ(*output, "out\nerr\n");
  auto failed = runToEnd({"sh", "-c", "echo why; exit 3"});
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("status 3"), std::string::npos);
  EXPECT_NE(failed.error().message.find("why"), std::string::npos);
  EXPECT_EQ(runToEnd({"no-such-program-anywhere"}).error().code, "program_missing");
  EXPECT_EQ(runToEnd({"sh", "-c", "yes | head -c 100000"}, 10)->size(), 10u);
}

TEST(ChildProcess, ReportsTheSignalThatEndedIt) {
  auto child = ChildProcess::spawn({"sleep", "30"}, ChildProcess::Output::merged, true);
  ASSERT_TRUE(child);
  child->signal(SIGTERM);
  auto status = child->wait();
  ASSERT_TRUE(status);
  EXPECT_EQ(*status, 128 + SIGTERM);
}

TEST(ChildProcess, DroppedEarlyItIsKilledWithItsGroup) {
  const auto before = std::chrono::steady_clock::now();
  pid_t grandchild = 0;
  {
    auto child = ChildProcess::spawn({"sh", "-c", "sleep 30 & echo $!; wait"},
                                     ChildProcess::Output::stdoutOnly, true);
    ASSERT_TRUE(child);
    char buffer[32] = {};
    ASSERT_GT(::read(child->output(), buffer, sizeof buffer - 1), 0);
    grandchild = std::atoi(buffer);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(5));
  ASSERT_GT(grandchild, 0);
  // The group's SIGKILL reached what the child started too (it may linger as a zombie
  // of init for a moment, so look at its state rather than whether it exists).
  for (int i = 0; i < 50; ++i) {
    if (::kill(grandchild, 0) != 0) break;
    std::string state;
    std::ifstream stat("/proc/" + std::to_string(grandchild) + "/stat");
    std::getline(stat, state);
    if (state.find(") Z") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_LT(i, 49) << "the grandchild survived";
  }
}

TEST(ChildProcess, FindsPrograms) {
  EXPECT_FALSE(ChildProcess::findProgram("sh").empty());
  EXPECT_EQ(ChildProcess::findProgram("/bin/sh"), "/bin/sh");
  EXPECT_TRUE(ChildProcess::findProgram("no-such-program-anywhere").empty());
}

}  // namespace
}  // namespace stratus::app
