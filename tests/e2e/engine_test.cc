// The execution engine through the HTTP API of a real server: handler mode in both
// runtimes with the invoke headers, state across warm calls, Lambda-shaped errors, a crash
// replaced, reserved concurrency answering 429, idle expiry, pre-warming, a custom runtime
// and /metrics. Each test that needs special engine settings starts its own server.
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "support/shared_server.h"
#include "support/zip_builder.h"

namespace stratus::e2e {
namespace {
using namespace std::chrono_literals;

const char* kCounter =
    "count = 0\n"
    "def handler(event, context):\n"
    "    global count\n"
    "    count += 1\n"
    "    print('call', count)\n"
    "    return {'count': count, 'event': event}\n";

class Engine : public ::testing::Test {
 protected:
  void SetUp() override { use(sharedServer()); }
  void use(const ServerProcess& server) {
    account_ = createAccount(server);
    http_ = std::make_unique<client::HttpClient>(server.url(), account_.apiKey);
  }
  void deployHandler(const std::string& name, const std::string& file, const std::string& source,
                     const std::string& handler, client::FieldList extra = {}) {
    extra.push_back({"mode", "handler"});
    auto created = deploy(*http_, name, file, source, handler, extra);
    ASSERT_EQ(created.status, 201) << created.body;
  }
  client::ClientResponse invoke(const std::string& name, const std::string& event = "{}") {
    return invokeFunction(*http_, name, event);
  }
  static std::string header(const client::ClientResponse& r, std::string_view name) {
    return headerOf(r, name);
  }

  Account account_;
  std::unique_ptr<client::HttpClient> http_;
};

TEST_F(Engine, PythonHandlerWarmCallsKeepStateAndReportColdStarts) {
  deployHandler("counter", "app.py", kCounter, "app.handler");
  auto first = invoke("counter", R"({"n": 1})");
  STRATUS_SKIP_IF_NO_SANDBOX(first);
  ASSERT_EQ(first.status, 200) << first.body;
  auto body = boost::json::parse(first.body).as_object();
  EXPECT_EQ(body["count"].as_int64(), 1);
  EXPECT_EQ(body["event"].as_object()["n"].as_int64(), 1);
  EXPECT_EQ(header(first, "x-stratus-cold-start"), "true");
  EXPECT_FALSE(header(first, "x-stratus-init-duration-ms").empty());
  EXPECT_FALSE(header(first, "x-stratus-invocation-id").empty());
  EXPECT_GE(std::stoll(header(first, "x-stratus-billed-duration-ms")), 1);

  auto second = invoke("counter", R"({"n": 2})");
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(boost::json::parse(second.body).at("count").as_int64(), 2);
  EXPECT_EQ(header(second, "x-stratus-cold-start"), "false");
  double duration = std::stod(header(second, "x-stratus-duration-ms"));
  EXPECT_GT(duration, 0);
  EXPECT_GE(std::stoll(header(second, "x-stratus-billed-duration-ms")), static_cast<long long>(duration));

  // The records say the same, logs included.
  auto listed = client::expectJson(http_->get("/api/v1/functions/counter/invocations"));
  ASSERT_TRUE(listed);
  auto& records = listed->at("invocations").as_array();
  ASSERT_EQ(records.size(), 2u);
  auto& newest = records[0].as_object();
  auto& oldest = records[1].as_object();
  EXPECT_FALSE(newest.at("coldStart").as_bool());
  EXPECT_TRUE(oldest.at("coldStart").as_bool());
  EXPECT_GT(oldest.at("initDurationMs").as_int64() + oldest.at("durationMs").as_int64(), -1);
  EXPECT_EQ(newest.at("initDurationMs").as_int64(), 0);
  EXPECT_EQ(newest.at("logExcerpt").as_string(), "call 2\n");
  EXPECT_GT(newest.at("memoryUsed").as_int64(), 0);
}

TEST_F(Engine, NodeAsyncHandler) {
  deployHandler("node-fn", "index.js",
                "let calls = 0;\n"
                "exports.handler = async (event, context) => {\n"
                "  calls += 1;\n"
                "  return { calls, sum: event.a + event.b, fn: context.functionName };\n"
                "};\n",
                "index.handler", {{"runtime", "nodejs20"}});
  auto first = invoke("node-fn", R"({"a": 10, "b": 5})");
  STRATUS_SKIP_IF_NO_SANDBOX(first);
  ASSERT_EQ(first.status, 200) << first.body;
  auto body = boost::json::parse(first.body).as_object();
  EXPECT_EQ(body["sum"].as_int64(), 15);
  EXPECT_EQ(body["fn"].as_string(), "node-fn");
  auto second = invoke("node-fn", R"({"a": 1, "b": 1})");
  EXPECT_EQ(boost::json::parse(second.body).at("calls").as_int64(), 2);
}

TEST_F(Engine, StateNeverCrossesUsers) {
  deployHandler("counter", "app.py", kCounter, "app.handler");
  auto mine = invoke("counter");
  STRATUS_SKIP_IF_NO_SANDBOX(mine);
  invoke("counter");
  use(sharedServer());  // another user, same function name and code
  deployHandler("counter", "app.py", kCounter, "app.handler");
  auto theirs = invoke("counter");
  ASSERT_EQ(theirs.status, 200) << theirs.body;
  EXPECT_EQ(boost::json::parse(theirs.body).at("count").as_int64(), 1);
  EXPECT_EQ(header(theirs, "x-stratus-cold-start"), "true");
}

TEST_F(Engine, AnExceptionIsALambdaErrorAndACrashIsReplaced) {
  deployHandler("fails", "app.py",
                "import os\n"
                "def handler(event, context):\n"
                "    if event.get('crash'):\n"
                "        os._exit(7)\n"
                "    raise KeyError('missing')\n",
                "app.handler");
  auto raised = invoke("fails");
  STRATUS_SKIP_IF_NO_SANDBOX(raised);
  ASSERT_EQ(raised.status, 200) << raised.body;
  EXPECT_EQ(header(raised, "x-stratus-function-error"), "Unhandled");
  auto error = boost::json::parse(raised.body).as_object();
  EXPECT_EQ(error["errorType"].as_string(), "KeyError");
  EXPECT_NE(error["errorMessage"].as_string().find("missing"), std::string::npos);
  EXPECT_TRUE(error["stackTrace"].is_array());

  auto crashed = invoke("fails", R"({"crash": true})");
  EXPECT_EQ(header(crashed, "x-stratus-function-error"), "Unhandled");
  EXPECT_EQ(boost::json::parse(crashed.body).at("errorType").as_string(), "Runtime.ExitError");
  auto after = invoke("fails");
  EXPECT_EQ(header(after, "x-stratus-cold-start"), "true");  // a new instance took over
  EXPECT_EQ(boost::json::parse(after.body).at("errorType").as_string(), "KeyError");
}

TEST_F(Engine, ANewVersionReplacesTheWarmInstancesOfTheOld) {
  deployHandler("versioned", "app.py", kCounter, "app.handler");
  auto first = invoke("versioned");
  STRATUS_SKIP_IF_NO_SANDBOX(first);
  EXPECT_EQ(boost::json::parse(invoke("versioned").body).at("count").as_int64(), 2);
  auto updated = http_->putMultipart(
      "/api/v1/functions/versioned/code", {},
      {client::FilePart{"functionFile", "app.py",
                        "def handler(event, context):\n    return 'version 2'\n"}});
  ASSERT_TRUE(updated);
  ASSERT_EQ(updated->status, 200) << updated->body;
  auto after = invoke("versioned");
  EXPECT_EQ(after.body, "\"version 2\"");
  EXPECT_EQ(header(after, "x-stratus-cold-start"), "true");
}

TEST_F(Engine, BadEventIsRefused) {
  deployHandler("echo", "app.py", "def handler(event, context):\n    return event\n", "app.handler");
  auto refused = invoke("echo", "{not json");
  ASSERT_EQ(refused.status, 400);
  EXPECT_EQ(boost::json::parse(refused.body).at("error").at("code").as_string(), "invalid_event");
  auto scalar = invoke("echo", "42");
  STRATUS_SKIP_IF_NO_SANDBOX(scalar);
  EXPECT_EQ(scalar.body, "42");
}

TEST_F(Engine, ReservedConcurrencyQueuesBrieflyThenAnswers429) {
  auto server = ServerProcess::start({"--queue-wait-ms", "200"});
  ASSERT_TRUE(server);
  use(*server);
  deployHandler("slow", "app.py",
                "import time\ndef handler(event, context):\n    time.sleep(2)\n    return 'done'\n",
                "app.handler", {{"concurrency", "1"}});
  auto busy = std::async(std::launch::async, [&] {  // its own client: one per thread
    client::HttpClient other(server->url(), account_.apiKey);
    auto answer = other.request("POST", "/api/v1/functions/slow/invoke", "{}", "application/json");
    return answer ? *answer : client::ClientResponse{};
  });
  std::this_thread::sleep_for(700ms);
  auto refused = invoke("slow");
  auto first = busy.get();
  STRATUS_SKIP_IF_NO_SANDBOX(first);
  EXPECT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(refused.status, 429) << refused.body;
  EXPECT_EQ(boost::json::parse(refused.body).at("error").at("code").as_string(), "concurrency_limit");
  EXPECT_EQ(header(refused, "retry-after"), "1");
  auto metrics = client::HttpClient(server->url()).get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("stratus_throttles_total{executor=\"sandbox\",reason=\"concurrency_limit\"} 1"),
            std::string::npos)
      << metrics->body;
}

TEST_F(Engine, IdleInstancesExpire) {
  auto server = ServerProcess::start({"--idle-expiry", "1"});
  ASSERT_TRUE(server);
  use(*server);
  deployHandler("counter", "app.py", kCounter, "app.handler");
  auto first = invoke("counter");
  STRATUS_SKIP_IF_NO_SANDBOX(first);
  EXPECT_EQ(header(invoke("counter"), "x-stratus-cold-start"), "false");
  std::this_thread::sleep_for(3s);
  auto later = invoke("counter");
  EXPECT_EQ(header(later, "x-stratus-cold-start"), "true");
  EXPECT_EQ(boost::json::parse(later.body).at("count").as_int64(), 1);  // state went with it
}

TEST_F(Engine, APrewarmedFunctionsFirstCallIsWarm) {
  deployHandler("ready", "app.py", kCounter, "app.handler", {{"prewarm", "1"}});
  // The pool starts the instance in the background; give it a moment to finish.
  client::ClientResponse first;
  std::this_thread::sleep_for(500ms);
  for (int i = 0; i < 50; ++i) {
    auto metrics = client::HttpClient(sharedServer().url()).get("/metrics");
    if (metrics && metrics->body.find("stratus_pool_instances{state=\"starting\"} 0") != std::string::npos) break;
    std::this_thread::sleep_for(100ms);
  }
  first = invoke("ready");
  STRATUS_SKIP_IF_NO_SANDBOX(first);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(header(first, "x-stratus-cold-start"), "false");
  EXPECT_EQ(boost::json::parse(first.body).at("count").as_int64(), 1);
}

TEST_F(Engine, AProvidedRuntimeBringsItsOwnBootstrap) {
  if (::access("/usr/bin/curl", X_OK) != 0) GTEST_SKIP() << "skipped: /usr/bin/curl is not installed";
  std::string bootstrap =
      "#!/bin/sh\n"
      "api=\"http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation\"\n"
      "while true; do\n"
      "  headers=$(mktemp)\n"
      "  event=$(curl -sS -D \"$headers\" \"$api/next\")\n"
      "  id=$(grep -i '^lambda-runtime-aws-request-id:' \"$headers\" | tr -d '\\r' | cut -d' ' -f2)\n"
      "  curl -sS -X POST \"$api/$id/response\" -d \"{\\\"echo\\\": $event}\" >/dev/null\n"
      "done\n";
  std::string zip = buildZip({ZipEntry{ZipEntry::Kind::file, "bootstrap", bootstrap, 0, true}});
  auto created = http_->postMultipart(
      "/api/v1/functions",
      {{"name", "custom"}, {"runtime", "provided.al2023"}, {"handler", "function.handler"},
       {"mode", "handler"}},
      {client::FilePart{"functionFile", "custom.zip", zip}});
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  auto answer = invoke("custom", R"({"x": 1})");
  STRATUS_SKIP_IF_NO_SANDBOX(answer);
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(boost::json::parse(answer.body).at("echo").at("x").as_int64(), 1);

  // A bootstrap that is not executable is refused at upload, not at the first call.
  std::string plain = buildZip({ZipEntry{ZipEntry::Kind::file, "bootstrap", bootstrap}});
  auto refused = http_->postMultipart(
      "/api/v1/functions", {{"name", "custom2"}, {"runtime", "provided"}, {"handler", "f.h"}},
      {client::FilePart{"functionFile", "custom.zip", plain}});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400) << refused->body;
}

TEST_F(Engine, TheCliDeploysAndInvokesAHandler) {
  std::vector<std::string> env{"STRATUS_URL=" + sharedServer().url(),
                               "STRATUS_API_KEY=" + account_.apiKey};
  char pattern[] = "/tmp/stratus-cli-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  std::string file = std::string(pattern) + "/app.py";
  {
    std::ofstream out(file);
    out << "def handler(event, context):\n"
           "    if event.get('fail'):\n        raise RuntimeError('no')\n"
           "    return {'double': event['n'] * 2}\n";
  }
  auto deployed = runCli({"deploy", file, "--name", "cli-handler", "--handler", "app.handler",
                          "--mode", "handler", "--prewarm", "1"},
                         env);
  std::filesystem::remove_all(pattern);
  ASSERT_EQ(deployed.exitCode, 0) << deployed.out << deployed.err;
  auto invoked = runCli({"invoke", "cli-handler", "--event", R"({"n": 21})"}, env);
  if (invoked.out.find("executor_unavailable") != std::string::npos ||
      invoked.err.find("executor_unavailable") != std::string::npos)
    GTEST_SKIP() << "skipped: the sandbox executor is unavailable here";
  ASSERT_EQ(invoked.exitCode, 0) << invoked.out << invoked.err;
  EXPECT_EQ(boost::json::parse(invoked.out).at("double").as_int64(), 42) << invoked.out;
  EXPECT_NE(invoked.err.find("billed"), std::string::npos) << invoked.err;
  auto failed = runCli({"invoke", "cli-handler", "--event", R"({"fail": true})"}, env);
  EXPECT_EQ(failed.exitCode, 1) << failed.out << failed.err;
  EXPECT_NE(failed.out.find("RuntimeError"), std::string::npos) << failed.out;
}

TEST_F(Engine, MetricsCountInvocationsAndColdStarts) {
  deployHandler("counted", "app.py", kCounter, "app.handler");
  auto first = invoke("counted");
  STRATUS_SKIP_IF_NO_SANDBOX(first);
  invoke("counted");
  auto metrics = client::HttpClient(sharedServer().url()).get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->header("content-type")->find("text/plain; version=0.0.4"), std::string::npos);
  for (const char* text :
       {"# TYPE stratus_invocations_total counter",
        "stratus_invocations_total{runtime=\"python3.11\",executor=\"sandbox\",mode=\"handler\",outcome=\"ok\"}",
        "# TYPE stratus_invocation_duration_seconds histogram",
        "stratus_cold_starts_total{runtime=\"python3.11\",executor=\"sandbox\"",
        "stratus_init_duration_seconds_count", "stratus_pool_instances{state=\"idle\"}",
        "stratus_pool_queue_depth"})
    EXPECT_NE(metrics->body.find(text), std::string::npos) << text << "\n" << metrics->body;
}

}  // namespace
}  // namespace stratus::e2e
