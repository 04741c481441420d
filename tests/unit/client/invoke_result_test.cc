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

ClientResponse handlerAnswer(std::string body, std::multimap<std::string, std::string> headers) {
  return ClientResponse{.status = 200, .body = std::move(body), .headers = std::move(headers)};
}

TEST(InterpretHandlerResponse, PrintsTheResultAndReportsTheRun) {
  auto outcome = interpretHandlerResponse(handlerAnswer(
      R"({"total":42,"items":["a"]})", {{"x-stratus-cold-start", "true"},
                                        {"x-stratus-duration-ms", "1.234"},
                                        {"x-stratus-billed-duration-ms", "2"},
                                        {"x-stratus-invocation-id", "inv-7f3c"}}));
  EXPECT_EQ(outcome.stdoutText, "{\"total\":42,\"items\":[\"a\"]}\n");
  EXPECT_EQ(outcome.stderrText, "");
  EXPECT_EQ(outcome.exitStatus, 0);
  ASSERT_EQ(outcome.notes.size(), 1u);
  EXPECT_EQ(outcome.notes[0],
            "stratus: cold start, duration 1.234 ms, billed 2 ms, invocation inv-7f3c");

  auto warm = interpretHandlerResponse(handlerAnswer(
      "\"pong\"\n", {{"x-stratus-cold-start", "false"}, {"x-stratus-duration-ms", "0.087"}}));
  EXPECT_EQ(warm.stdoutText, "\"pong\"\n");  // already ends with a newline
  ASSERT_EQ(warm.notes.size(), 1u);
  EXPECT_EQ(warm.notes[0], "stratus: warm start, duration 0.087 ms");
}

TEST(InterpretHandlerResponse, AnyJsonValueIsAResult) {
  for (std::string body : {"null", "0", "[]", "\"text\"", "false"}) {
    auto outcome = interpretHandlerResponse(handlerAnswer(body, {}));
    EXPECT_EQ(outcome.stdoutText, body + "\n");
    EXPECT_EQ(outcome.exitStatus, 0) << body;
    EXPECT_TRUE(outcome.notes.empty()) << "no headers, nothing to report";
  }
  EXPECT_EQ(interpretHandlerResponse(handlerAnswer("", {})).stdoutText, "");
}

TEST(InterpretHandlerResponse, ARaisedErrorIsPrintedNotedAndFails) {
  std::string body =
      R"({"errorType":"ZeroDivisionError","errorMessage":"division by zero",)"
      R"("stackTrace":["  File \"/var/task/main.py\", line 2, in handler\n"]})";
  auto outcome = interpretHandlerResponse(
      handlerAnswer(body, {{"x-stratus-function-error", "Unhandled"},
                           {"x-stratus-cold-start", "false"},
                           {"x-stratus-duration-ms", "3.5"},
                           {"x-stratus-billed-duration-ms", "4"},
                           {"x-stratus-invocation-id", "inv-1"}}));
  EXPECT_EQ(outcome.stdoutText, body + "\n");  // the error document, for whatever reads stdout
  EXPECT_EQ(outcome.exitStatus, 1);
  ASSERT_EQ(outcome.notes.size(), 2u);
  EXPECT_EQ(outcome.notes[0],
            "stratus: warm start, duration 3.5 ms, billed 4 ms, invocation inv-1");
  EXPECT_EQ(outcome.notes[1],
            "stratus: the function failed (Unhandled): ZeroDivisionError: division by zero");
}

TEST(InterpretHandlerResponse, AnErrorOfAnyShapeStillFails) {
  auto bare = interpretHandlerResponse(
      handlerAnswer("not json", {{"x-stratus-function-error", "Unhandled"}}));
  EXPECT_EQ(bare.exitStatus, 1);
  ASSERT_EQ(bare.notes.size(), 1u);
  EXPECT_EQ(bare.notes[0], "stratus: the function failed (Unhandled)");
  auto onlyMessage = interpretHandlerResponse(handlerAnswer(
      R"({"errorMessage":"line one\nline two"})", {{"x-stratus-function-error", ""}}));
  EXPECT_EQ(onlyMessage.exitStatus, 1);
  ASSERT_EQ(onlyMessage.notes.size(), 1u);
  EXPECT_EQ(onlyMessage.notes[0], "stratus: the function failed: line one\\nline two");
}

TEST(InterpretHandlerResponse, HeadersCannotWriteEscapesToTheTerminal) {
  auto outcome = interpretHandlerResponse(
      handlerAnswer("1", {{"x-stratus-invocation-id", "id\x1b[31mred"}}));
  ASSERT_EQ(outcome.notes.size(), 1u);
  EXPECT_EQ(outcome.notes[0].find('\x1b'), std::string::npos) << outcome.notes[0];
  // A cold-start value other than true or false tells nothing, so it is left out.
  auto odd = interpretHandlerResponse(handlerAnswer(
      "1", {{"x-stratus-cold-start", "maybe"}, {"x-stratus-duration-ms", "2"}}));
  ASSERT_EQ(odd.notes.size(), 1u);
  EXPECT_EQ(odd.notes[0], "stratus: duration 2 ms");
}

}  // namespace
}  // namespace stratus::client
