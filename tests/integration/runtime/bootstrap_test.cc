// runtimes/python/bootstrap.py and runtimes/node/bootstrap.mjs against the real Runtime
// API server: the guest and host halves of the protocol talking over loopback, with a real
// python3 and a real node.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "runtime/runtime_server.h"
#include "testing/node_process.h"
#include "testing/temp_dir.h"

extern char** environ;

namespace stratus::runtime {
namespace {

using stratus::testing::TempDir;
namespace fs = std::filesystem;

constexpr const char* kPython = "/usr/bin/python3";

enum class Runtime { python, node };

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One instance: the host's server and channel, and the bootstrap process talking to it.
class Instance : public ::testing::Test {
 protected:
  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (server_) server_->close();
    work_.reset();
    io_.stop();
    if (loop_.joinable()) loop_.join();
  }

  void write(const std::string& name, const std::string& text) {
    std::ofstream(code_.path() / name) << text;
  }

  void start(const std::string& handler, const std::string& mode = "handler",
             Runtime runtime = Runtime::python) {
    auto listener = listenOnLoopback(0);
    ASSERT_TRUE(listener) << listener.error().describe();
    sockaddr_in address{};
    socklen_t length = sizeof(address);
    ::getsockname(listener->get(), reinterpret_cast<sockaddr*>(&address), &length);
    server_ = std::make_unique<RuntimeApiServer>(io_, std::move(*listener), channel_);
    server_->start();
    loop_ = std::thread([this] { io_.run(); });

    std::string program = kPython;
    std::string script = std::string(STRATUS_SOURCE_DIR) + "/runtimes/python/bootstrap.py";
    if (runtime == Runtime::node) {
      program = stratus::testing::nodeBinary().value_or("/usr/bin/node");
      script = std::string(STRATUS_SOURCE_DIR) + "/runtimes/node/bootstrap.mjs";
    }
    std::vector<std::string> env{
        "AWS_LAMBDA_RUNTIME_API=127.0.0.1:" + std::to_string(ntohs(address.sin_port)),
        "LAMBDA_TASK_ROOT=" + code_.path().string(), "_HANDLER=" + handler,
        "STRATUS_MODE=" + mode, "AWS_LAMBDA_FUNCTION_NAME=test", "PATH=/usr/bin:/bin"};
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    char* argv[] = {program.data(), script.data(), nullptr};
    ASSERT_EQ(::posix_spawn(&pid_, program.c_str(), nullptr, nullptr, argv, envp.data()), 0);
  }

  Outcome invoke(const std::string& id, const std::string& payload, int64_t timeoutMs = 5000) {
    std::promise<Outcome> promise;
    auto future = promise.get_future();
    Event event{InvocationContext{.requestId = id, .deadlineMs = nowMs() + timeoutMs,
                                  .functionArn = "arn:aws:lambda:local:u:function:test"},
                payload};
    auto submitted = channel_.submit(std::move(event),
                                     [&promise](Outcome o) { promise.set_value(std::move(o)); });
    if (!submitted) {
      Outcome failed;
      failed.kind = Outcome::Kind::abandoned;
      failed.reason = submitted.error();
      return failed;
    }
    if (future.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
      channel_.abandon(Error{ErrorKind::unavailable, "test_timeout", "no answer in 20 s", {}});
    }
    return future.get();
  }

  TempDir code_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ =
      boost::asio::make_work_guard(io_);
  InvocationChannel channel_;
  std::unique_ptr<RuntimeApiServer> server_;
  std::thread loop_;
  pid_t pid_ = -1;
};

boost::json::object json(const std::string& text) { return boost::json::parse(text).as_object(); }

TEST_F(Instance, PythonHandlerModeKeepsStateAcrossWarmCalls) {
  write("main.py",
        "calls = 0\n"
        "def handler(event, context):\n"
        "    global calls\n"
        "    calls += 1\n"
        "    return {'sum': event['a'] + event['b'], 'calls': calls,\n"
        "            'id': context.aws_request_id, 'left': context.get_remaining_time_in_millis() > 0}\n");
  start("main.handler");
  auto first = invoke("r1", R"({"a":10,"b":5})");
  ASSERT_EQ(first.kind, Outcome::Kind::response) << first.body << first.reason.describe();
  auto body = json(first.body);
  EXPECT_EQ(body.at("sum").as_int64(), 15);
  EXPECT_EQ(body.at("calls").as_int64(), 1);
  EXPECT_EQ(body.at("id").as_string(), "r1");
  EXPECT_TRUE(body.at("left").as_bool());
  auto second = invoke("r2", R"({"a":1,"b":2})");
  ASSERT_EQ(second.kind, Outcome::Kind::response);
  EXPECT_EQ(json(second.body).at("calls").as_int64(), 2) << "the module was imported once";
}

TEST_F(Instance, PythonAnExceptionBecomesALambdaError) {
  write("main.py", "def handler(event, context):\n    raise ValueError('no ' + event['what'])\n");
  start("main.handler");
  auto failed = invoke("r1", R"({"what":"luck"})");
  ASSERT_EQ(failed.kind, Outcome::Kind::function_error) << failed.body;
  EXPECT_EQ(failed.errorType, "ValueError");
  auto error = json(failed.body);
  EXPECT_EQ(error.at("errorType").as_string(), "ValueError");
  EXPECT_EQ(error.at("errorMessage").as_string(), "no luck");
  EXPECT_FALSE(error.at("stackTrace").as_array().empty());
  // The instance survives its function's exception.
  EXPECT_EQ(invoke("r2", R"({"what":"again"})").kind, Outcome::Kind::function_error);
}

TEST_F(Instance, PythonAnImportErrorIsReportedAsAnInitError) {
  write("main.py", "import does_not_exist\n");
  start("main.handler");
  auto failed = invoke("r1", "{}");
  ASSERT_EQ(failed.kind, Outcome::Kind::init_error) << failed.body;
  EXPECT_EQ(failed.errorType, "Runtime.ImportModuleError");
  EXPECT_NE(failed.body.find("does_not_exist"), std::string::npos);
}

TEST_F(Instance, PythonScriptModeRunsTheClonesCloudPyInAFork) {
  fs::copy_file(std::string(STRATUS_SOURCE_DIR) + "/examples/cloud.py", code_.path() / "cloud.py");
  start("cloud.py", "script");
  for (int i = 0; i < 2; ++i) {
    auto done = invoke("r" + std::to_string(i), R"({"args":["10","5"]})");
    ASSERT_EQ(done.kind, Outcome::Kind::response) << done.body;
    auto result = json(done.body);
    EXPECT_EQ(result.at("status").as_int64(), 0);
    EXPECT_EQ(result.at("stdout").as_string(),
              "add: 15.0 subtract: 5.0 multiply: 50.0 divide: 2.0 remainder: 0.0 ");
    EXPECT_EQ(result.at("stderr").as_string(), "");
    EXPECT_FALSE(result.at("timeout").as_bool());
  }
  auto usage = json(invoke("r9", R"({"args":[]})").body);
  EXPECT_EQ(usage.at("status").as_int64(), 1);
}

TEST_F(Instance, PythonScriptModeKillsAScriptPastItsDeadline) {
  write("slow.py", "import time\nprint('started', flush=True)\ntime.sleep(30)\n");
  start("slow.py", "script");
  auto started = std::chrono::steady_clock::now();
  auto done = invoke("r1", R"({"args":[]})", 500);
  ASSERT_EQ(done.kind, Outcome::Kind::response) << done.body;
  auto result = json(done.body);
  EXPECT_TRUE(result.at("timeout").as_bool());
  EXPECT_EQ(result.at("stdout").as_string(), "started\n");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

#define REQUIRE_NODE()                                                             \
  do {                                                                             \
    if (!stratus::testing::nodeBinary()) GTEST_SKIP() << "skipped: node is not on PATH"; \
  } while (false)

TEST_F(Instance, NodeAsyncHandlerKeepsStateAcrossWarmCalls) {
  REQUIRE_NODE();
  write("index.mjs",
        "let calls = 0;\n"
        "export const handler = async (event, context) => {\n"
        "  calls += 1;\n"
        "  await new Promise((done) => setTimeout(done, 1));\n"
        "  return { sum: event.a + event.b, calls, id: context.awsRequestId };\n"
        "};\n");
  start("index.handler", "handler", Runtime::node);
  auto first = invoke("n1", R"({"a":10,"b":5})");
  ASSERT_EQ(first.kind, Outcome::Kind::response) << first.body << first.reason.describe();
  EXPECT_EQ(json(first.body).at("sum").as_int64(), 15);
  EXPECT_EQ(json(first.body).at("id").as_string(), "n1");
  auto second = invoke("n2", R"({"a":1,"b":1})");
  EXPECT_EQ(json(second.body).at("calls").as_int64(), 2);
}

TEST_F(Instance, NodeSyncHandlerInCommonJsAndAThrownErrorIsALambdaError) {
  REQUIRE_NODE();
  write("lib.cjs",
        "exports.ok = (event) => ({ echo: event });\n"
        "exports.bad = () => { throw new TypeError('wrong type'); };\n");
  start("lib.bad", "handler", Runtime::node);
  auto failed = invoke("n1", "{}");
  ASSERT_EQ(failed.kind, Outcome::Kind::function_error) << failed.body;
  EXPECT_EQ(failed.errorType, "TypeError");
  EXPECT_EQ(json(failed.body).at("errorMessage").as_string(), "wrong type");
  EXPECT_FALSE(json(failed.body).at("stackTrace").as_array().empty());
}

TEST_F(Instance, NodeMissingModuleIsAnInitError) {
  REQUIRE_NODE();
  start("absent.handler", "handler", Runtime::node);
  auto failed = invoke("n1", "{}");
  ASSERT_EQ(failed.kind, Outcome::Kind::init_error) << failed.body;
  EXPECT_EQ(failed.errorType, "Runtime.ImportModuleError");
}

TEST_F(Instance, NodeScriptModeRunsTheEntryWithArgv) {
  REQUIRE_NODE();
  write("calc.js", "const [a, b] = process.argv.slice(2).map(Number);\nconsole.log(`sum: ${a + b}`);\n");
  start("calc.js", "script", Runtime::node);
  auto done = invoke("n1", R"({"args":["10","5"]})");
  ASSERT_EQ(done.kind, Outcome::Kind::response) << done.body;
  auto result = json(done.body);
  EXPECT_EQ(result.at("status").as_int64(), 0);
  EXPECT_EQ(result.at("stdout").as_string(), "sum: 15\n");
  EXPECT_FALSE(result.at("timeout").as_bool());
}

}  // namespace
}  // namespace stratus::runtime
