// The docker executor through the HTTP API of a real server and a real dockerd, with the
// runtime images `stratus runtimes build` made (the shared server's set-up builds them;
// support/shared_server.cc): the clone's cloud.py through /docker, handler mode in both
// runtimes, and no container left behind after the server is SIGKILLed and restarted.
// The hostile functions of containment_test.cc run on this executor too.
#include <thread>

#include "docker/docker_client.h"
#include "support/shared_server.h"

namespace stratus::e2e {
namespace {
using namespace std::chrono_literals;

class DockerExecutor : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = dockerUnavailable(); !why.empty()) GTEST_SKIP() << "skipped: " << why;
    account_ = createAccount(sharedServer());
    http_ = std::make_unique<client::HttpClient>(sharedServer().url(), account_.apiKey);
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

TEST_F(DockerExecutor, CloudPyRunsThroughTheClonesDockerRoute) {
  auto created = deploy(*http_, "cloud", "cloud.py", readSource("examples/cloud.py"),
                        "cloud.calculator", {{"timeout", "20"}});
  ASSERT_EQ(created.status, 201) << created.body;
  for (int call = 0; call < 2; ++call) {  // a cold container, then the warm one
    auto response =
        http_->get("/api/function/" + account_.userId + "/cloud.calculator/docker?a=10&b=5");
    ASSERT_TRUE(response);
    ASSERT_EQ(response->status, 200) << response->body;
    auto json = boost::json::parse(response->body).as_object();
    EXPECT_EQ(json.at("status").as_int64(), 0) << response->body;
    EXPECT_EQ(json.at("stdout").as_string(),
              "add: 15.0 subtract: 5.0 multiply: 50.0 divide: 2.0 remainder: 0.0 ");
    EXPECT_EQ(json.at("stderr").as_string(), "");
    EXPECT_FALSE(json.at("timeout").as_bool());
  }
  auto listed = client::expectJson(http_->get("/api/v1/functions/cloud/invocations"));
  ASSERT_TRUE(listed);
  auto& records = listed->at("invocations").as_array();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].at("executor").as_string(), "docker");
  EXPECT_FALSE(records[0].at("coldStart").as_bool());
  EXPECT_TRUE(records[1].at("coldStart").as_bool());
}

TEST_F(DockerExecutor, HandlerModeInBothRuntimesKeepsStateInItsContainer) {
  struct Case {
    const char* name;
    const char* file;
    const char* source;
  };
  for (Case c : {Case{"py-counter", "app.py",
                      "import os\ncount = 0\n"
                      "def handler(event, context):\n"
                      "    global count\n    count += 1\n"
                      "    print('call', count)\n"
                      "    return {'count': count, 'uid': os.getuid(), 'n': event.get('n')}\n"},
                 Case{"js-counter", "app.js",
                      "let count = 0;\n"
                      "exports.handler = async (event) => {\n"
                      "  count += 1;\n  console.log('call', count);\n"
                      "  return { count, uid: process.getuid(), n: event.n };\n};\n"}}) {
    SCOPED_TRACE(c.name);
    auto created = deploy(*http_, c.name, c.file, c.source, "app.handler",
                          {{"mode", "handler"}, {"executor", "docker"},
                           {"runtime", std::string(c.file).ends_with(".py") ? "python3.11" : "nodejs20"}});
    ASSERT_EQ(created.status, 201) << created.body;
    auto first = invoke(c.name, R"({"n": 1})");
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_EQ(header(first, "x-stratus-cold-start"), "true");
    auto second = invoke(c.name, R"({"n": 2})");
    ASSERT_EQ(second.status, 200) << second.body;
    EXPECT_EQ(header(second, "x-stratus-cold-start"), "false");
    auto body = boost::json::parse(second.body).as_object();
    EXPECT_EQ(body["count"].as_int64(), 2);
    EXPECT_EQ(body["n"].as_int64(), 2);
    EXPECT_EQ(body["uid"].as_int64(), 65534);  // not root inside the container
    auto listed = client::expectJson(
        http_->get("/api/v1/functions/" + std::string(c.name) + "/invocations"));
    ASSERT_TRUE(listed);
    auto& newest = listed->at("invocations").as_array()[0].as_object();
    EXPECT_EQ(newest.at("executor").as_string(), "docker");
    EXPECT_NE(std::string(newest.at("logExcerpt").as_string()).find("call 2"), std::string::npos)
        << newest.at("logExcerpt");
  }
}

TEST_F(DockerExecutor, AnExceptionIsALambdaShapedError) {
  auto created = deploy(*http_, "py-fails", "app.py",
                        "def handler(event, context):\n    raise ValueError('nope')\n",
                        "app.handler", {{"mode", "handler"}, {"executor", "docker"}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto response = invoke("py-fails");
  EXPECT_EQ(header(response, "x-stratus-function-error"), "Unhandled");
  auto body = boost::json::parse(response.body).as_object();
  EXPECT_EQ(body["errorType"].as_string(), "ValueError");
  EXPECT_EQ(body["errorMessage"].as_string(), "nope");
}

TEST_F(DockerExecutor, ATimeoutKillsTheContainer) {
  auto created = deploy(*http_, "py-hangs", "app.py",
                        "import time\n"
                        "def handler(event, context):\n"
                        "    if event.get('hang'):\n        time.sleep(60)\n"
                        "    return 'ok'\n",
                        "app.handler",
                        {{"mode", "handler"}, {"executor", "docker"}, {"timeout", "1"}});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string functionId(boost::json::parse(created.body).at("function").at("id").as_string());
  ASSERT_EQ(invoke("py-hangs").status, 200);
  auto client = docker::DockerClient::connectFromEnvironment();
  ASSERT_TRUE(client) << client.error().describe();
  auto before = client->listContainers({{"label", {"org.stratus.function=" + functionId}}}, true);
  ASSERT_TRUE(before);
  ASSERT_EQ(before->size(), 1u);

  auto started = std::chrono::steady_clock::now();
  auto hung = invoke("py-hangs", R"({"hang": true})");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_EQ(header(hung, "x-stratus-function-error"), "Unhandled");
  EXPECT_EQ(boost::json::parse(hung.body).at("errorType").as_string(), "Sandbox.Timedout");
  // The container that hung is gone, and the next call gets a new one.
  auto after = client->listContainers({{"label", {"org.stratus.function=" + functionId}}}, true);
  ASSERT_TRUE(after);
  for (const auto& container : *after) EXPECT_NE(container.id, before->front().id);
  auto next = invoke("py-hangs");
  EXPECT_EQ(next.status, 200) << next.body;
  EXPECT_EQ(header(next, "x-stratus-cold-start"), "true");
}

// The containers of this test's own server, by the label every container carries.
std::vector<std::string> containersOf(docker::DockerClient& client, const std::string& functionId) {
  auto listed = client.listContainers({{"label", {"org.stratus.function=" + functionId}}}, true);
  EXPECT_TRUE(listed) << (listed ? "" : listed.error().describe());
  std::vector<std::string> ids;
  if (listed)
    for (auto& container : *listed) ids.push_back(container.id);
  return ids;
}

TEST_F(DockerExecutor, NoContainerOutlivesAKilledServerOnceItRestarts) {
  auto server = ServerProcess::start({"--rate-limits=false"});
  ASSERT_TRUE(server);
  Account account = createAccount(*server);
  client::HttpClient http(server->url(), account.apiKey);
  auto created = deploy(http, "survivor", "app.py",
                        "def handler(event, context):\n    return 'up'\n", "app.handler",
                        {{"mode", "handler"}, {"executor", "docker"}});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string functionId(
      boost::json::parse(created.body).at("function").at("id").as_string());
  auto response = http.request("POST", "/api/v1/functions/survivor/invoke", "{}", "application/json");
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 200) << response->body;

  auto client = docker::DockerClient::connectFromEnvironment();
  ASSERT_TRUE(client) << client.error().describe();
  ASSERT_EQ(containersOf(*client, functionId).size(), 1u);  // the warm container

  server->kill();
  // The container is still there: nothing but the server itself could have removed it.
  EXPECT_EQ(containersOf(*client, functionId).size(), 1u);

  ASSERT_TRUE(server->restart());
  EXPECT_TRUE(containersOf(*client, functionId).empty());
  // And the function runs again, in a new container.
  client::HttpClient again(server->url(), account.apiKey);
  response = again.request("POST", "/api/v1/functions/survivor/invoke", "{}", "application/json");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200) << response->body;
  EXPECT_EQ(containersOf(*client, functionId).size(), 1u);
  EXPECT_EQ(server->stop(), 0);
  EXPECT_TRUE(containersOf(*client, functionId).empty());  // a clean stop removes its own
}

}  // namespace
}  // namespace stratus::e2e
