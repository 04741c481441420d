// The nanos executor through the HTTP API of a real server booting real Nanos images under
// qemu: the clone's cloud.py and a Node.js script through /nanos, handler mode in both
// runtimes, an exit code that survives the VM, and a timeout that kills the VM. Where this
// host has no Nanos kernel (none ships with Debian or npm), every test reports itself
// skipped with what is missing.

#include "nanos/install.h"
#include "support/server_process.h"
#include "support/shared_server.h"
#include "testing/temp_dir.h"

namespace stratus::e2e {
namespace {
using namespace std::chrono_literals;

std::string nanosUnavailable() {
  auto install = nanos::locateNanos(nanos::hostProbe());
  return install.usable() ? std::string() : nanos::missingSummary(install);
}

class NanosExecutor : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = nanosUnavailable(); !why.empty()) GTEST_SKIP() << "skipped: " << why;
    account_ = createAccount(sharedServer());
    http_ = std::make_unique<client::HttpClient>(sharedServer().url(), account_.apiKey);
  }
  client::ClientResponse invoke(const std::string& name, const std::string& event = "{}") {
    return invokeFunction(*http_, name, event);
  }
  boost::json::object cloneRoute(const std::string& handler, const std::string& query) {
    auto response = http_->get("/api/function/" + account_.userId + "/" + handler + "/nanos?" + query);
    EXPECT_TRUE(response);
    if (!response) return {};
    EXPECT_EQ(response->status, 200) << response->body;
    auto parsed = boost::json::parse(response->body);
    return parsed.is_object() ? parsed.as_object() : boost::json::object{};
  }
  boost::json::array invocations(const std::string& name) {
    auto listed = client::expectJson(http_->get("/api/v1/functions/" + name + "/invocations"));
    EXPECT_TRUE(listed);
    return listed ? listed->at("invocations").as_array() : boost::json::array{};
  }

  Account account_;
  std::unique_ptr<client::HttpClient> http_;
};

TEST_F(NanosExecutor, CloudPyRunsThroughTheClonesNanosRoute) {
  auto created = deploy(*http_, "cloud", "cloud.py", readSource("examples/cloud.py"),
                        "cloud.calculator", {{"timeout", "20"}});
  ASSERT_EQ(created.status, 201) << created.body;
  for (int call = 0; call < 2; ++call) {  // a cold VM, then the warm one
    auto json = cloneRoute("cloud.calculator", "a=10&b=5");
    EXPECT_EQ(json["status"].as_int64(), 0);
    EXPECT_EQ(json["stdout"].as_string(),
              "add: 15.0 subtract: 5.0 multiply: 50.0 divide: 2.0 remainder: 0.0 ");
    EXPECT_EQ(json["stderr"].as_string(), "");
    EXPECT_FALSE(json["timeout"].as_bool());
  }
  auto records = invocations("cloud");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].at("executor").as_string(), "nanos");
  EXPECT_FALSE(records[0].at("coldStart").as_bool());
  EXPECT_TRUE(records[1].at("coldStart").as_bool());
}

TEST_F(NanosExecutor, ANodeScriptGivesItsOutputAndExitCode) {
  auto created = deploy(*http_, "argv-js", "main.js",
                        "console.log('args', process.argv.slice(2).join(','));\n"
                        "console.error('to stderr');\n"
                        "setTimeout(() => { console.log('later'); process.exitCode = 3; }, 10);\n",
                        "main.js", {{"runtime", "nodejs20"}, {"timeout", "20"}});
  ASSERT_EQ(created.status, 201) << created.body;
  for (int call = 0; call < 2; ++call) {
    auto json = cloneRoute("main.js", "a=10&b=5");
    EXPECT_EQ(json["status"].as_int64(), 3) << json;
    EXPECT_EQ(json["stdout"].as_string(), "args 10,5\nlater\n");
    EXPECT_EQ(json["stderr"].as_string(), "to stderr\n");
  }
}

TEST_F(NanosExecutor, APythonScriptsExitCodeAndBothStreams) {
  auto created = deploy(*http_, "exits", "main.py",
                        "import os, sys\n"
                        "print('out', sys.argv[1:])\n"
                        "os.write(2, b'raw stderr\\n')\n"
                        "sys.exit(7)\n",
                        "main.py", {{"timeout", "20"}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto json = cloneRoute("main.py", "x=1");
  EXPECT_EQ(json["status"].as_int64(), 7) << json;
  EXPECT_EQ(json["stdout"].as_string(), "out ['1']\n");
  EXPECT_EQ(json["stderr"].as_string(), "raw stderr\n");
}

TEST_F(NanosExecutor, HandlerModeInBothRuntimesKeepsStateInItsVm) {
  struct Case {
    const char* name;
    const char* file;
    const char* source;
  };
  for (Case c : {Case{"py-counter", "app.py",
                      "count = 0\n"
                      "def handler(event, context):\n"
                      "    global count\n    count += 1\n"
                      "    print('call', count)\n"
                      "    return {'count': count, 'n': event.get('n')}\n"},
                 Case{"js-counter", "app.js",
                      "let count = 0;\n"
                      "exports.handler = async (event) => {\n"
                      "  count += 1;\n  console.log('call', count);\n"
                      "  return { count, n: event.n };\n};\n"}}) {
    SCOPED_TRACE(c.name);
    auto created = deploy(*http_, c.name, c.file, c.source, "app.handler",
                          {{"mode", "handler"}, {"executor", "nanos"}, {"timeout", "20"},
                           {"runtime", std::string(c.file).ends_with(".py") ? "python3.11" : "nodejs20"}});
    ASSERT_EQ(created.status, 201) << created.body;
    auto first = invoke(c.name, R"({"n": 1})");
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_EQ(headerOf(first, "x-stratus-cold-start"), "true");
    auto second = invoke(c.name, R"({"n": 2})");
    ASSERT_EQ(second.status, 200) << second.body;
    EXPECT_EQ(headerOf(second, "x-stratus-cold-start"), "false");
    auto body = boost::json::parse(second.body).as_object();
    EXPECT_EQ(body["count"].as_int64(), 2);
    EXPECT_EQ(body["n"].as_int64(), 2);
    auto records = invocations(c.name);
    ASSERT_FALSE(records.empty());
    auto& newest = records[0].as_object();
    EXPECT_EQ(newest.at("executor").as_string(), "nanos");
    // The call's own output, and none of the kernel's console lines.
    std::string logs(newest.at("logExcerpt").as_string());
    EXPECT_NE(logs.find("call 2"), std::string::npos) << logs;
    EXPECT_EQ(logs.find("en1: assigned"), std::string::npos) << logs;
  }
}

TEST_F(NanosExecutor, ATimeoutKillsTheVm) {
  auto created = deploy(*http_, "py-hangs", "app.py",
                        "def handler(event, context):\n"
                        "    while event.get('hang'):\n        pass\n"
                        "    return 'ok'\n",
                        "app.handler",
                        {{"mode", "handler"}, {"executor", "nanos"}, {"timeout", "2"}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto warm = invoke("py-hangs");
  ASSERT_EQ(warm.status, 200) << warm.body;

  auto started = std::chrono::steady_clock::now();
  auto hung = invoke("py-hangs", R"({"hang": true})");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 15s);
  EXPECT_EQ(headerOf(hung, "x-stratus-function-error"), "Unhandled");
  EXPECT_EQ(boost::json::parse(hung.body).at("errorType").as_string(), "Sandbox.Timedout");
  // The VM that hung is gone: the next call boots a new one.
  auto next = invoke("py-hangs");
  EXPECT_EQ(next.status, 200) << next.body;
  EXPECT_EQ(headerOf(next, "x-stratus-cold-start"), "true");
}

// The guest reaches the Runtime API through its forward rule and nothing else: not the
// host (qemu's gateway address, where the server itself listens), not qemu's DNS, not
// the outside world.
TEST_F(NanosExecutor, TheGuestReachesNothingButTheRuntimeApi) {
  std::string port = sharedServer().url().substr(sharedServer().url().rfind(':') + 1);
  auto created = deploy(*http_, "py-net", "app.py",
                        "import socket\n"
                        "def handler(event, context):\n"
                        "    reached = []\n"
                        "    for host, port in event['targets']:\n"
                        "        try:\n"
                        "            socket.create_connection((host, port), timeout=3).close()\n"
                        "            reached.append(f'{host}:{port}')\n"
                        "        except OSError:\n"
                        "            pass\n"
                        "    return reached\n",
                        "app.handler",
                        {{"mode", "handler"}, {"executor", "nanos"}, {"timeout", "30"}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto response = invoke("py-net", R"({"targets": [["10.0.2.2", )" + port +
                                       R"(], ["10.0.2.3", 53], ["1.1.1.1", 80], ["10.0.2.2", 22]]})");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.body, "[]");
}

// Runs whether or not this host has Nanos: the report names what was found and what is
// missing, and a half-configured install is a failure while none at all is "off".
TEST(NanosDoctor, SaysWhatWasFoundAndWhatIsMissing) {
  stratus::testing::TempDir dir;
  std::vector<std::string> nothing{"HOME=" + dir.path().string(), "OPS_HOME=", "NANOS_KERNEL=",
                                   "NANOS_BOOT=", "NANOS_MKFS="};
  auto off = runCli({"doctor", "--data-dir", dir.path().string()}, nothing);
  EXPECT_NE(off.out.find("ok    nanos       off: no Nanos kernel found (set NANOS_KERNEL"),
            std::string::npos) << off.out;

  auto half = nothing;
  half[2] = "NANOS_KERNEL=/nowhere/kernel.img";
  auto broken = runCli({"doctor", "--data-dir", dir.path().string()}, half);
  EXPECT_EQ(broken.exitCode, 1);
  EXPECT_NE(broken.out.find("FAIL  nanos"), std::string::npos) << broken.out;
  EXPECT_NE(broken.out.find("NANOS_KERNEL names /nowhere/kernel.img"), std::string::npos) << broken.out;

  if (!nanosUnavailable().empty()) return;  // the rest needs a real install
  auto installed = runCli({"doctor", "--data-dir", dir.path().string()});
  EXPECT_NE(installed.out.find("ok    nanos       kernel "), std::string::npos) << installed.out;
  bool kvm = nanos::locateNanos(nanos::hostProbe()).kvm;
  EXPECT_NE(installed.out.find(kvm ? "with KVM" : "with TCG"), std::string::npos) << installed.out;
}

}  // namespace
}  // namespace stratus::e2e
