// The headline flow: an account, the clone's cloud.py deployed with the CLI, and the
// clone's route answering with its JSON from inside the sandbox.
#include <fstream>

#include "nanos/install.h"
#include "support/shared_server.h"
#include "support/zip_builder.h"
#include "testing/temp_dir.h"

namespace stratus::e2e {
namespace {

// Deploying new code over a function with a new handler whose entry only the new code
// has: the CLI sends the handler with the code, so the server checks them together.
TEST(SeedFlow, CliRedeployCanMoveTheEntry) {
  auto& server = sharedServer();
  Account account = createAccount(server);
  std::vector<std::string> env{"STRATUS_URL=" + server.url(), "STRATUS_API_KEY=" + account.apiKey};
  auto first = runCli({"deploy", sourcePath("examples/cloud.py"), "--name", "moving", "--handler",
                       "cloud.calculator"},
                      env);
  ASSERT_EQ(first.exitCode, 0) << first.out << first.err;
  testing::TempDir dir;
  const auto zip = dir.path() / "calc.zip";
  std::ofstream(zip, std::ios::binary)
      << buildZip({{.path = "calc/main.py", .content = readSource("examples/cloud.py")}});
  auto moved = runCli({"deploy", zip.string(), "--name", "moving", "--handler",
                       "calc/main.calculator", "--timeout", "5"},
                      env);
  ASSERT_EQ(moved.exitCode, 0) << moved.out << moved.err;
  EXPECT_NE(moved.out.find("version 2"), std::string::npos) << moved.out;
  auto invoked = runCli({"invoke", "moving", "10", "5"}, env);
  EXPECT_EQ(invoked.exitCode, 0) << invoked.err;
  EXPECT_NE(invoked.out.find("add: 15.0"), std::string::npos) << invoked.out;
}

TEST(SeedFlow, CliDeploysCloudPyAndTheCloneRouteRunsIt) {
  auto& server = sharedServer();
  Account account = createAccount(server);
  std::vector<std::string> env{"STRATUS_URL=" + server.url(), "STRATUS_API_KEY=" + account.apiKey};

  auto deployed = runCli({"deploy", sourcePath("examples/cloud.py"), "--name", "cloud",
                          "--handler", "cloud.calculator", "--runtime", "python3.11",
                          "--timeout", "10", "--memory", "128"},
                         env);
  ASSERT_EQ(deployed.exitCode, 0) << deployed.out << deployed.err;

  client::HttpClient http(server.url(), account.apiKey);
  auto response = http.get("/api/function/" + account.userId + "/cloud.calculator/sandbox?a=10&b=5");
  ASSERT_TRUE(response);
  STRATUS_SKIP_IF_NO_SANDBOX(*response);
  ASSERT_EQ(response->status, 200) << response->body;
  auto json = boost::json::parse(response->body).as_object();
  EXPECT_EQ(json.at("status").as_int64(), 0);
  EXPECT_EQ(json.at("stdout").as_string(),
            "add: 15.0 subtract: 5.0 multiply: 50.0 divide: 2.0 remainder: 0.0 ");
  EXPECT_EQ(json.at("stderr").as_string(), "");
  EXPECT_EQ(json.at("timeout").as_bool(), false);
  EXPECT_GE(json.at("durationMs").as_int64(), 0);

  // Query values are argv in the order they appear, whatever their names.
  response = http.get("/api/function/" + account.userId + "/cloud/sandbox?z=9&a=3");
  ASSERT_TRUE(response);
  json = boost::json::parse(response->body).as_object();
  EXPECT_EQ(json.at("stdout").as_string(),
            "add: 12.0 subtract: 6.0 multiply: 27.0 divide: 3.0 remainder: 0.0 ");

  // The CLI sees the same function, runs it, and lists the invocations.
  auto invoked = runCli({"invoke", "cloud", "7", "2"}, env);
  EXPECT_EQ(invoked.exitCode, 0) << invoked.err;
  EXPECT_NE(invoked.out.find("add: 9.0"), std::string::npos) << invoked.out;
  auto listed = runCli({"ls"}, env);
  EXPECT_EQ(listed.exitCode, 0);
  EXPECT_NE(listed.out.find("cloud"), std::string::npos) << listed.out;
  auto logs = runCli({"logs", "cloud", "--json"}, env);
  ASSERT_EQ(logs.exitCode, 0) << logs.err;
  auto invocations = boost::json::parse(logs.out).at("invocations").as_array();
  ASSERT_EQ(invocations.size(), 3u);
  EXPECT_EQ(invocations[0].at("status").as_string(), "ok");
  EXPECT_NE(std::string(invocations[0].at("logExcerpt").as_string()).find("add: 9.0"),
            std::string::npos);

  auto removed = runCli({"rm", "cloud"}, env);
  EXPECT_EQ(removed.exitCode, 0) << removed.err;
  response = http.get("/api/function/" + account.userId + "/cloud/sandbox?a=1&b=1");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 404);
}

TEST(SeedFlow, NodeScriptRunsTheSameWay) {
  auto& server = sharedServer();
  Account account = createAccount(server);
  client::HttpClient http(server.url(), account.apiKey);
  auto created = deploy(http, "greet", "greet.js", readSource("examples/greet.js"), "greet.main",
                        {{"runtime", "nodejs20"}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto response = http.get("/api/function/" + account.userId + "/greet.main/sandbox?n=Ada&m=Alan");
  ASSERT_TRUE(response);
  STRATUS_SKIP_IF_NO_SANDBOX(*response);
  auto json = boost::json::parse(response->body).as_object();
  EXPECT_EQ(json.at("status").as_int64(), 0) << response->body;
  EXPECT_EQ(json.at("stdout").as_string(), "hello, Ada hello, Alan\n");
  // A failing script reports its exit status and stderr, as the clone did.
  response = http.get("/api/function/" + account.userId + "/greet/sandbox");
  json = boost::json::parse(response->body).as_object();
  EXPECT_EQ(json.at("status").as_int64(), 1);
  EXPECT_NE(std::string(json.at("stderr").as_string()).find("usage"), std::string::npos);
}

TEST(SeedFlow, CloneUploadRouteAndPublicFunctions) {
  auto& server = sharedServer();
  Account owner = createAccount(server);
  Account stranger = createAccount(server);
  client::HttpClient http(server.url(), owner.apiKey);
  auto created = http.postMultipart(
      "/api/user/functions/new",
      {{"name", "calc"}, {"description", "calculator"}, {"runtime", "python"},
       {"handler", "cloud.calculator"}, {"timeout", "5"}, {"memory", "256"}},
      {client::FilePart{"functionFile", "cloud.py", readSource("examples/cloud.py")}});
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  auto function = boost::json::parse(created->body).at("function").as_object();
  EXPECT_EQ(function.at("runtime").as_string(), "python3.11");
  EXPECT_EQ(function.at("public").as_bool(), false);

  auto listed = http.get("/api/user/functions");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->status, 200);
  EXPECT_EQ(boost::json::parse(listed->body).as_array().size(), 1u);

  std::string route = "/api/function/" + owner.userId + "/calc/sandbox?a=10&b=5";
  client::HttpClient anonymous(server.url());
  client::HttpClient other(server.url(), stranger.apiKey);
  // Private by default: strangers and anonymous callers see nothing there.
  EXPECT_EQ(anonymous.get(route)->status, 404);
  EXPECT_EQ(other.get(route)->status, 404);

  auto made = http.patchJson("/api/v1/functions/calc", {{"public", true}});
  ASSERT_EQ(made->status, 200) << made->body;
  auto response = anonymous.get(route);
  STRATUS_SKIP_IF_NO_SANDBOX(*response);
  ASSERT_EQ(response->status, 200) << response->body;
  EXPECT_EQ(boost::json::parse(response->body).at("status").as_int64(), 0);

  // The stranger cannot delete it through the clone's route either.
  std::string id(function.at("id").as_string());
  EXPECT_EQ(other.del("/api/user/functions/" + id)->status, 404);
  EXPECT_EQ(http.del("/api/user/functions/" + id)->status, 200);
  EXPECT_EQ(anonymous.get(route)->status, 404);
}

TEST(SeedFlow, AmbiguousHandlerIsAConflictNamingTheCandidates) {
  auto& server = sharedServer();
  Account account = createAccount(server);
  client::HttpClient http(server.url(), account.apiKey);
  std::string source = readSource("examples/cloud.py");
  ASSERT_EQ(deploy(http, "calc-a", "cloud.py", source, "cloud.calculator").status, 201);
  ASSERT_EQ(deploy(http, "calc-b", "cloud.py", source, "cloud.calculator").status, 201);
  auto response = http.get("/api/function/" + account.userId + "/cloud.calculator/sandbox?a=1&b=2");
  ASSERT_EQ(response->status, 409) << response->body;
  auto error = boost::json::parse(response->body).at("error");
  EXPECT_EQ(error.at("code").as_string(), "ambiguous_handler");
  std::string message(error.at("message").as_string());
  EXPECT_NE(message.find("calc-a"), std::string::npos);
  EXPECT_NE(message.find("calc-b"), std::string::npos);
  // A name is never ambiguous.
  response = http.get("/api/function/" + account.userId + "/calc-b/sandbox?a=1&b=2");
  STRATUS_SKIP_IF_NO_SANDBOX(*response);
  EXPECT_EQ(response->status, 200);
  // An executor this server does not have says so (nanos, where no Nanos kernel is found).
  if (nanos::locateNanos(nanos::hostProbe()).usable()) return;
  response = http.get("/api/function/" + account.userId + "/calc-b/nanos?a=1&b=2");
  EXPECT_EQ(response->status, 501);
  EXPECT_EQ(boost::json::parse(response->body).at("error").at("code").as_string(),
            "executor_unavailable");
}

}  // namespace
}  // namespace stratus::e2e
