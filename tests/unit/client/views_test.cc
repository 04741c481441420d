#include "client/views.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace stratus::client {
namespace {

namespace json = boost::json;

TEST(FunctionsTable, OneRowPerFunction) {
  auto response = json::parse(R"({"functions":[
    {"name":"calc","runtime":"python3.11","currentVersion":3,"timeout":5,"memory":128,
     "public":true,"updatedAt":1714564803123},
    {"name":"hello","runtime":"nodejs20","currentVersion":1,"timeout":30,"memory":1024,
     "public":false,"updatedAt":"2024-05-02T08:00:00Z"}]})");
  EXPECT_EQ(functionsTable(response),
            "NAME   RUNTIME     VERSION  TIMEOUT  MEMORY  PUBLIC  UPDATED\n"
            "calc   python3.11  3        5s       128MB   yes     2024-05-01 12:00:03\n"
            "hello  nodejs20    1        30s      1024MB  no      2024-05-02 08:00:00\n");
}

TEST(FunctionsTable, ToleratesMissingFieldsAndEmptyLists) {
  EXPECT_EQ(functionsTable(json::parse(R"({"functions":[]})")),
            "NAME  RUNTIME  VERSION  TIMEOUT  MEMORY  PUBLIC  UPDATED\n");
  EXPECT_EQ(functionsTable(json::parse(R"({"functions":[{"name":"x"}]})")),
            "NAME  RUNTIME  VERSION  TIMEOUT  MEMORY  PUBLIC  UPDATED\n"
            "x     -        -        -        -       -       -\n");
  EXPECT_EQ(functionsTable(json::parse("[]")),
            "NAME  RUNTIME  VERSION  TIMEOUT  MEMORY  PUBLIC  UPDATED\n");
}

TEST(InvocationStatus, OkErrorTimeout) {
  EXPECT_EQ(invocationStatus(json::parse(R"({"status":"ok","exitCode":0})")), "ok");
  EXPECT_EQ(invocationStatus(json::parse(R"({"status":"error","exitCode":2})")), "error (exit 2)");
  EXPECT_EQ(invocationStatus(json::parse(R"({"exitCode":1})")), "error (exit 1)");
  EXPECT_EQ(invocationStatus(json::parse(R"({"status":"ok","timedOut":true,"exitCode":-9})")),
            "timeout");
  EXPECT_EQ(invocationStatus(json::parse(R"({"status":"killed"})")), "killed");
}

TEST(InvocationsTable, TimeStatusDurationExcerpt) {
  auto response = json::parse(R"({"invocations":[
    {"startedAt":1714564803123,"status":"error","exitCode":1,"durationMs":1534,
     "coldStart":true,"error":"","logExcerpt":"Traceback:\n  boom\n"},
    {"startedAt":1714564800000,"status":"ok","exitCode":0,"durationMs":3,"coldStart":false,
     "error":null,"logExcerpt":""},
    {"startedAt":1714564700000,"status":"error","exitCode":0,"durationMs":3,
     "error":"runtime failed to start","logExcerpt":null}]})");
  EXPECT_EQ(invocationsTable(response),
            "TIME                 STATUS          DURATION      EXCERPT\n"
            "2024-05-01 12:00:03  error (exit 1)  1.53s (cold)  Traceback:\\n  boom\n"
            "2024-05-01 12:00:00  ok              3ms\n"
            "2024-05-01 11:58:20  error           3ms           runtime failed to start\n");
}

TEST(InvocationsTable, CutsLongExcerpts) {
  auto response =
      json::parse(R"({"invocations":[{"logExcerpt":")" + std::string(100, 'x') + R"("}]})");
  std::string table = invocationsTable(response);
  EXPECT_NE(table.find(std::string(57, 'x') + "...\n"), std::string::npos);
  EXPECT_EQ(table.find(std::string(58, 'x')), std::string::npos);
}

TEST(ApiKeysTable, ActiveAndRevoked) {
  auto response = json::parse(R"({"apiKeys":[
    {"id":"k1","name":"cli-box","prefix":"sk_ab","createdAt":1714564803123,
     "lastUsedAt":null,"revokedAt":null},
    {"id":"k2","name":"ci","prefix":"sk_cd","createdAt":1714564803123,
     "lastUsedAt":1714564900000,"revokedAt":1714565000000}]})");
  EXPECT_EQ(apiKeysTable(response),
            "ID  NAME     PREFIX  CREATED              LAST USED            STATUS\n"
            "k1  cli-box  sk_ab   2024-05-01 12:00:03  -                    active\n"
            "k2  ci       sk_cd   2024-05-01 12:00:03  2024-05-01 12:01:40  revoked "
            "2024-05-01 12:03:20\n");
}

TEST(FunctionSummary, NamesTheInvokeUrl) {
  auto function = json::parse(R"({"runtime":"python3.11","handler":"cloud.calculator",
    "mode":"script","currentVersion":2,"timeout":3,"memory":128,"concurrency":null,
    "prewarm":0,"public":false,"invokeUrl":"http://h/api/v1/functions/calc/invoke"})");
  EXPECT_EQ(functionSummary(function),
            "  runtime     python3.11\n"
            "  handler     cloud.calculator\n"
            "  mode        script\n"
            "  version     2\n"
            "  timeout     3s\n"
            "  memory      128MB\n"
            "  concurrency unreserved\n"
            "  prewarm     0\n"
            "  public      no\n"
            "  invoke URL  http://h/api/v1/functions/calc/invoke\n");
}

TEST(FunctionSummary, ReservedConcurrencyAndAnOlderServer) {
  auto reserved = json::parse(R"({"mode":"handler","concurrency":5,"prewarm":2})");
  std::string text = functionSummary(reserved);
  EXPECT_NE(text.find("  mode        handler\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  concurrency 5\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  prewarm     2\n"), std::string::npos) << text;
  // A server without the fields: "-", not a claim that the function is unreserved.
  text = functionSummary(json::parse(R"({"runtime":"python3.11"})"));
  EXPECT_NE(text.find("  concurrency -\n"), std::string::npos) << text;
}

TEST(ExportLines, ReadyToPaste) {
  EXPECT_EQ(exportLines("http://127.0.0.1:8080", "sk_live_abc"),
            "export STRATUS_URL=http://127.0.0.1:8080\n"
            "export STRATUS_API_KEY=sk_live_abc\n");
  EXPECT_EQ(exportLines("http://h", "a b"),
            "export STRATUS_URL=http://h\nexport STRATUS_API_KEY='a b'\n");
}

}  // namespace
}  // namespace stratus::client
