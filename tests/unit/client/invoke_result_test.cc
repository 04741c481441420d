#include "client/invoke_result.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "client/exit_status.h"

namespace stratus::client {
namespace {

InvokeOutcome interpret(std::string_view text) {
  return interpretInvokeResult(boost::json::parse(text));
}

TEST(InterpretInvokeResult, PassesOutputAndStatusThrough) {
  auto outcome = interpret(
      R"({"status":0,"stdout":"15\n","stderr":"debug\n","timeout":false,"durationMs":4})");
  EXPECT_EQ(outcome.stdoutText, "15\n");
  EXPECT_EQ(outcome.stderrText, "debug\n");
  EXPECT_EQ(outcome.exitStatus, 0);
  EXPECT_TRUE(outcome.notes.empty());
  EXPECT_EQ(interpret(R"({"status":3,"stdout":"","stderr":"boom"})").exitStatus, 3);
}

TEST(InterpretInvokeResult, TimeoutIs124WithANote) {
  auto outcome = interpret(R"({"status":-9,"stdout":"partial","timeout":true,"durationMs":3000})");
  EXPECT_EQ(outcome.exitStatus, kExitFunctionTimedOut);
  EXPECT_EQ(outcome.stdoutText, "partial");
  ASSERT_EQ(outcome.notes.size(), 1u);
  EXPECT_EQ(outcome.notes[0], "stratus: the function timed out after 3.00s");
}

TEST(InterpretInvokeResult, NotesTruncation) {
  auto outcome =
      interpret(R"({"status":0,"stdout":"x","stdoutTruncated":true,"stderrTruncated":true})");
  EXPECT_EQ(outcome.exitStatus, 0);
  ASSERT_EQ(outcome.notes.size(), 2u);
  EXPECT_EQ(outcome.notes[0], "stratus: stdout was truncated by the server");
  EXPECT_EQ(outcome.notes[1], "stratus: stderr was truncated by the server");
}

TEST(InterpretInvokeResult, AnErrorNeverReadsAsSuccess) {
  auto outcome = interpret(R"({"status":0,"error":"runtime failed to start"})");
  EXPECT_EQ(outcome.exitStatus, 1);
  ASSERT_EQ(outcome.notes.size(), 1u);
  EXPECT_EQ(outcome.notes[0], "stratus: runtime failed to start");
  EXPECT_EQ(interpret(R"({"status":2,"error":"x"})").exitStatus, 2);
  EXPECT_EQ(interpret(R"({"status":0,"error":""})").exitStatus, 0);
}

TEST(InterpretInvokeResult, StatusesTheShellCannotCarryBecomeOne) {
  EXPECT_EQ(interpret(R"({"status":-11})").exitStatus, 1);
  EXPECT_EQ(interpret(R"({"status":256})").exitStatus, 1);
  EXPECT_EQ(interpret(R"({"status":255})").exitStatus, 255);
  auto missing = interpret(R"({"stdout":"x"})");
  EXPECT_EQ(missing.exitStatus, 1);
  EXPECT_EQ(missing.notes.size(), 1u);
}

}  // namespace
}  // namespace stratus::client
