// Long-lived sandbox instances with the real bootstraps, driven through the pool: handler
// mode in both runtimes, errors, state across warm calls (and never across functions),
// crashes, timeouts, script mode, ready sandboxes and a `provided` shell bootstrap. Needs
// root and cgroups; otherwise every test reports itself skipped with the reason.
#include "exec/sandbox/sandbox_instances.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "common/crypto.h"
#include "exec/pool/instance_pool.h"

namespace stratus::exec::sandbox {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

class SandboxInstancesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    initCrypto();
    InstanceOptions options;
    options.readyPerRuntime = 1;
    options.sandbox.stateDir = "/run/stratus-sandbox-test";
    options.sandbox.cgroupName = "stratus-test";
    options.runtimeDir = "/run/stratus-sandbox-test-runtimes";
    auto made = makeSandboxInstances(options);
    if (made) factory_ = made->release();
    else skipReason_ = new std::string(made.error().describe());
  }
  static void TearDownTestSuite() {
    delete factory_;
    factory_ = nullptr;
  }
  void SetUp() override {
    if (!factory_) GTEST_SKIP() << "skipped: sandbox unavailable: " << *skipReason_;
    PoolOptions options;
    options.memoryBudgetMb = 4096;
    pool_ = std::make_unique<InstancePool>(std::map<std::string, InstanceFactory*>{{"sandbox", factory_}},
                                           options);
  }
  void TearDown() override {
    pool_.reset();
    std::error_code ec;
    for (auto& dir : dirs_) fs::remove_all(dir, ec);
  }

  // A function folder holding `files`; returns a request for it.
  PoolRequest function(const std::string& id, const std::string& runtime, const std::string& handler,
                       std::map<std::string, std::string> files, const std::string& mode = "handler") {
    char pattern[] = "/tmp/stratus-fn-XXXXXX";
    EXPECT_NE(::mkdtemp(pattern), nullptr);
    fs::path dir = pattern;
    dirs_.push_back(dir);
    fs::permissions(dir, fs::perms(0755));
    for (auto& [name, content] : files) {
      std::ofstream(dir / name) << content;
      fs::permissions(dir / name, name == "bootstrap" ? fs::perms(0755) : fs::perms(0644));
    }
    PoolRequest request;
    request.executor = "sandbox";
    request.spec.functionId = id;
    request.spec.functionName = id;
    request.spec.runtime = runtime;
    request.spec.mode = mode;
    request.spec.handler = handler;
    request.spec.codeDir = dir;
    request.spec.timeoutS = 3;
    request.configKey = id + ":1";
    return request;
  }

  PoolResult call(PoolRequest request, std::string payload = "{}") {
    request.event.payload = std::move(payload);
    request.event.context.requestId = newId();
    request.event.context.deadlineMs = 0;
    auto result = pool_->invoke(request);
    EXPECT_TRUE(result) << result.error().describe();
    return result ? *result : PoolResult{};
  }

  static inline InstanceFactory* factory_ = nullptr;
  static inline std::string* skipReason_ = nullptr;
  std::unique_ptr<InstancePool> pool_;
  std::vector<fs::path> dirs_;
};

using Kind = runtime::Outcome::Kind;

const char* kPythonCounter =
    "import os\n"
    "count = 0\n"
    "def handler(event, context):\n"
    "    global count\n"
    "    count += 1\n"
    "    print('call', count)\n"
    "    return {'count': count, 'echo': event, 'uid': os.getuid(), 'env': os.environ.get('GREETING'),\n"
    "            'name': context.function_name, 'request': context.aws_request_id}\n";

TEST_F(SandboxInstancesTest, PythonHandlerKeepsStateAcrossWarmCalls) {
  auto request = function("py-counter", "python3.11", "app.handler", {{"app.py", kPythonCounter}});
  request.spec.env = {{"GREETING", "hello"}};
  auto first = call(request, R"({"a": 1})");
  ASSERT_EQ(first.result.outcome.kind, Kind::response) << first.result.outcome.body << first.result.logs;
  EXPECT_TRUE(first.coldStart);
  auto body = json::parse(first.result.outcome.body).as_object();
  EXPECT_EQ(body["count"].as_int64(), 1);
  EXPECT_EQ(body["echo"].as_object()["a"].as_int64(), 1);
  EXPECT_EQ(body["uid"].as_int64(), 1000);
  EXPECT_EQ(body["env"].as_string(), "hello");
  EXPECT_EQ(body["name"].as_string(), "py-counter");
  EXPECT_EQ(first.result.logs, "call 1\n");
  auto second = call(request);
  EXPECT_FALSE(second.coldStart);
  EXPECT_EQ(json::parse(second.result.outcome.body).as_object()["count"].as_int64(), 2);
  EXPECT_EQ(second.result.logs, "call 2\n");
  EXPECT_GT(second.result.memoryPeakBytes, 0);
}

TEST_F(SandboxInstancesTest, StateNeverCrossesFunctions) {
  auto a = function("fn-a", "python3.11", "app.handler", {{"app.py", kPythonCounter}});
  auto b = function("fn-b", "python3.11", "app.handler", {{"app.py", kPythonCounter}});
  call(a);
  call(a);
  auto other = call(b);
  EXPECT_TRUE(other.coldStart);
  EXPECT_EQ(json::parse(other.result.outcome.body).as_object()["count"].as_int64(), 1);
}

TEST_F(SandboxInstancesTest, NodeHandlersSyncAndAsync) {
  auto request = function("node-fn", "nodejs20", "index.handler",
                          {{"index.mjs",
                            "let count = 0;\n"
                            "export const handler = async (event, context) => {\n"
                            "  count += 1; console.log('call', count);\n"
                            "  await new Promise((r) => setTimeout(r, 5));\n"
                            "  return { count, echo: event, name: context.functionName };\n"
                            "};\n"}});
  auto first = call(request, R"({"x": "y"})");
  ASSERT_EQ(first.result.outcome.kind, Kind::response) << first.result.outcome.body << first.result.logs;
  auto body = json::parse(first.result.outcome.body).as_object();
  EXPECT_EQ(body["count"].as_int64(), 1);
  EXPECT_EQ(body["echo"].as_object()["x"].as_string(), "y");
  EXPECT_EQ(body["name"].as_string(), "node-fn");
  EXPECT_EQ(first.result.logs, "call 1\n");
  auto second = call(request);
  EXPECT_EQ(json::parse(second.result.outcome.body).as_object()["count"].as_int64(), 2);
}

TEST_F(SandboxInstancesTest, AnExceptionBecomesALambdaError) {
  auto request = function("py-raise", "python3.11", "app.handler",
                          {{"app.py", "def handler(event, context):\n    raise ValueError('bad input')\n"}});
  auto result = call(request);
  ASSERT_EQ(result.result.outcome.kind, Kind::function_error);
  auto body = json::parse(result.result.outcome.body).as_object();
  EXPECT_EQ(body["errorType"].as_string(), "ValueError");
  EXPECT_EQ(body["errorMessage"].as_string(), "bad input");
  EXPECT_FALSE(body["stackTrace"].as_array().empty());
  EXPECT_FALSE(call(request).coldStart);  // an error is not a reason to replace the instance
}

TEST_F(SandboxInstancesTest, AnImportErrorIsAnInitError) {
  auto request = function("py-broken", "python3.11", "app.handler", {{"app.py", "import nosuchmodule\n"}});
  auto result = call(request);
  ASSERT_EQ(result.result.outcome.kind, Kind::init_error);
  EXPECT_NE(result.result.outcome.body.find("nosuchmodule"), std::string::npos);
}

TEST_F(SandboxInstancesTest, ACrashedInstanceIsReplaced) {
  auto request = function("py-crash", "python3.11", "app.handler",
                          {{"app.py",
                            "import os\ncount = 0\n"
                            "def handler(event, context):\n"
                            "    global count\n    count += 1\n"
                            "    if event.get('crash'):\n        os._exit(3)\n"
                            "    return count\n"}});
  EXPECT_EQ(call(request).result.outcome.body, "1");
  auto crashed = call(request, R"({"crash": true})");
  EXPECT_EQ(crashed.result.outcome.kind, Kind::abandoned);
  EXPECT_NE(crashed.result.outcome.reason.message.find("status 3"), std::string::npos)
      << crashed.result.outcome.reason.message;
  auto replaced = call(request);
  EXPECT_TRUE(replaced.coldStart);
  EXPECT_EQ(replaced.result.outcome.body, "1");
}

TEST_F(SandboxInstancesTest, ATimeoutKillsAndReplacesTheInstance) {
  auto request = function("py-sleep", "python3.11", "app.handler",
                          {{"app.py", "import time\ndef handler(event, context):\n    time.sleep(event['s'])\n    return 'done'\n"}});
  request.spec.timeoutS = 1;
  call(request, R"({"s": 0})");
  auto slow = call(request, R"({"s": 30})");
  EXPECT_TRUE(slow.timedOut);
  EXPECT_EQ(slow.result.outcome.kind, Kind::abandoned);
  auto next = call(request, R"({"s": 0})");
  EXPECT_TRUE(next.coldStart);
  EXPECT_EQ(next.result.outcome.body, "\"done\"");
}

TEST_F(SandboxInstancesTest, ScriptModeRunsTheCloneSemanticsInAWarmInstance) {
  auto request = function("py-script", "python3.11", "cloud.py",
                          {{"cloud.py",
                            "import sys\nprint(int(sys.argv[1]) + int(sys.argv[2]))\n"
                            "print('err', file=sys.stderr)\nsys.exit(4)\n"}},
                          "script");
  auto first = call(request, R"({"args": ["10", "5"]})");
  ASSERT_EQ(first.result.outcome.kind, Kind::response) << first.result.outcome.body << first.result.logs;
  auto body = json::parse(first.result.outcome.body).as_object();
  EXPECT_EQ(body["stdout"].as_string(), "15\n");
  EXPECT_EQ(body["stderr"].as_string(), "err\n");
  EXPECT_EQ(body["status"].as_int64(), 4);
  EXPECT_FALSE(body["timeout"].as_bool());
  auto second = call(request, R"({"args": ["1", "2"]})");
  EXPECT_FALSE(second.coldStart);
  EXPECT_EQ(json::parse(second.result.outcome.body).as_object()["stdout"].as_string(), "3\n");
}

TEST_F(SandboxInstancesTest, AProcessLeftBehindRetiresTheInstance) {
  auto request = function("py-daemon", "python3.11", "app.handler",
                          {{"app.py",
                            "import os, time\n"
                            "def handler(event, context):\n"
                            "    if event.get('daemon') and os.fork() == 0:\n"
                            "        os.setsid()\n        time.sleep(60)\n        os._exit(0)\n"
                            "    return 'ok'\n"}});
  call(request);
  call(request, R"({"daemon": true})");
  EXPECT_TRUE(call(request).coldStart);
}

TEST_F(SandboxInstancesTest, AProvidedBootstrapSpeaksTheRuntimeApiItself) {
  if (!fs::exists("/usr/bin/curl")) GTEST_SKIP() << "skipped: /usr/bin/curl is not installed";
  auto request = function(
      "sh-provided", "provided", "function.handler",
      {{"bootstrap",
        "#!/bin/sh\n"
        "api=\"http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation\"\n"
        "while true; do\n"
        "  headers=$(mktemp)\n"
        "  event=$(curl -sS -D \"$headers\" \"$api/next\")\n"
        "  id=$(grep -i '^lambda-runtime-aws-request-id:' \"$headers\" | tr -d '\\r' | cut -d' ' -f2)\n"
        "  curl -sS -X POST \"$api/$id/response\" -d \"{\\\"got\\\": $event, \\\"fn\\\": \\\"$AWS_LAMBDA_FUNCTION_NAME\\\"}\" >/dev/null\n"
        "  rm -f \"$headers\"\n"
        "done\n"}});
  auto result = call(request, R"({"n": 7})");
  ASSERT_EQ(result.result.outcome.kind, Kind::response) << result.result.outcome.body << result.result.logs;
  auto body = json::parse(result.result.outcome.body).as_object();
  EXPECT_EQ(body["got"].as_object()["n"].as_int64(), 7);
  EXPECT_EQ(body["fn"].as_string(), "sh-provided");
}

TEST_F(SandboxInstancesTest, AReadySandboxMakesTheColdStartCheap) {
  auto request = function("py-ready", "python3.11", "app.handler",
                          {{"app.py", "def handler(event, context):\n    return 1\n"}});
  // The suite keeps one ready Python sandbox; give the refill a moment after other tests.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto result = call(request);
  EXPECT_TRUE(result.coldStart);
  EXPECT_TRUE(result.readySandbox);
  EXPECT_EQ(result.result.outcome.body, "1");
}

}  // namespace
}  // namespace stratus::exec::sandbox
