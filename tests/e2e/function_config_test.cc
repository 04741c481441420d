// The configuration the execution engine reads: mode, reserved concurrency and prewarmed
// instances, set at creation (multipart, both upload routes, and the CLI), changed with
// PATCH (JSON), refused with the field's own code, and shown on the function; and the cold
// start fields on invocation records.
#include "support/shared_server.h"
#include "support/storage.h"
#include "support/zip_builder.h"

namespace stratus::e2e {
namespace {

const char* kHandler = "def handler(event, context):\n    return event\n";

class FunctionConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    account_ = createAccount(sharedServer());
    http_ = std::make_unique<client::HttpClient>(sharedServer().url(), account_.apiKey);
  }

  static void expectError(const Result<client::ClientResponse>& response, long status,
                          const std::string& code) {
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, status) << response->body;
    auto json = boost::json::parse(response->body);
    ASSERT_TRUE(json.is_object()) << response->body;
    EXPECT_EQ(json.at("error").at("code").as_string(), code) << response->body;
  }

  boost::json::object function(const std::string& name) {
    auto got = client::expectJson(http_->get("/api/v1/functions/" + name));
    EXPECT_TRUE(got) << (got ? "" : got.error().describe());
    return got ? got->at("function").as_object() : boost::json::object{};
  }

  boost::json::object patched(const std::string& name, const boost::json::object& body) {
    auto answer = client::expectJson(http_->patchJson("/api/v1/functions/" + name, body));
    EXPECT_TRUE(answer) << (answer ? "" : answer.error().describe());
    return answer ? answer->at("function").as_object() : boost::json::object{};
  }

  Account account_;
  std::unique_ptr<client::HttpClient> http_;
};

TEST_F(FunctionConfig, DefaultsAreTheClonesScriptModeUnreservedAndCold) {
  auto created = deploy(*http_, "plain", "main.py", kHandler, "main.handler");
  ASSERT_EQ(created.status, 201) << created.body;
  auto f = boost::json::parse(created.body).at("function").as_object();
  EXPECT_EQ(f.at("mode").as_string(), "script");
  ASSERT_TRUE(f.contains("concurrency"));
  EXPECT_TRUE(f.at("concurrency").is_null());
  EXPECT_EQ(f.at("prewarm").as_int64(), 0);
}

TEST_F(FunctionConfig, MultipartCreateTakesAllThree) {
  auto created = deploy(*http_, "warm", "main.py", kHandler, "main.handler",
                        {{"mode", "handler"}, {"concurrency", "5"}, {"prewarm", "2"}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto f = boost::json::parse(created.body).at("function").as_object();
  EXPECT_EQ(f.at("mode").as_string(), "handler");
  EXPECT_EQ(f.at("concurrency").as_int64(), 5);
  EXPECT_EQ(f.at("prewarm").as_int64(), 2);
  // Stored, not just echoed: a fresh read and the listing say the same.
  auto read = function("warm");
  EXPECT_EQ(read.at("mode").as_string(), "handler");
  EXPECT_EQ(read.at("concurrency").as_int64(), 5);
  EXPECT_EQ(read.at("prewarm").as_int64(), 2);
  auto listed = client::expectJson(http_->get("/api/v1/functions"));
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->at("functions").at(0).at("prewarm").as_int64(), 2);

  // The clone's upload route reads the same form fields; an empty concurrency is unreserved.
  auto clone = http_->postMultipart(
      "/api/user/functions/new",
      {{"name", "clone"}, {"handler", "main.handler"}, {"mode", "handler"}, {"concurrency", ""},
       {"prewarm", "32"}},
      {client::FilePart{"functionFile", "main.py", kHandler}});
  ASSERT_TRUE(clone);
  ASSERT_EQ(clone->status, 201) << clone->body;
  auto c = boost::json::parse(clone->body).at("function").as_object();
  EXPECT_EQ(c.at("mode").as_string(), "handler");
  EXPECT_TRUE(c.at("concurrency").is_null());
  EXPECT_EQ(c.at("prewarm").as_int64(), 32);
}

TEST_F(FunctionConfig, BadValuesAtCreationAreRefusedAndCreateNothing) {
  client::FilePart file{"functionFile", "main.py", kHandler};
  auto refused = [&](client::FieldList extra, const std::string& code) {
    client::FieldList fields{{"name", "f"}, {"handler", "main.handler"}};
    fields.insert(fields.end(), extra.begin(), extra.end());
    expectError(http_->postMultipart("/api/v1/functions", fields, {file}), 400, code);
  };
  for (std::string mode : {"", "event", "Handler", "script;"}) refused({{"mode", mode}}, "invalid_mode");
  for (std::string c : {"0", "1001", "-1", "2.5", "null", "many"})
    refused({{"concurrency", c}}, "invalid_concurrency");
  for (std::string p : {"-1", "33", "", "1.5", "some"}) refused({{"prewarm", p}}, "invalid_prewarm");
  refused({{"concurrency", "2"}, {"prewarm", "3"}}, "invalid_prewarm");
  auto listed = client::expectJson(http_->get("/api/v1/functions"));
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->at("functions").as_array().empty()) << "a refused upload left a function";
}

TEST_F(FunctionConfig, PatchChangesAndClearsThemAsJson) {
  ASSERT_EQ(deploy(*http_, "tuned", "main.py", kHandler, "main.handler").status, 201);
  auto f = patched("tuned", {{"mode", "handler"}, {"concurrency", 10}, {"prewarm", 4}});
  EXPECT_EQ(f.at("mode").as_string(), "handler");
  EXPECT_EQ(f.at("concurrency").as_int64(), 10);
  EXPECT_EQ(f.at("prewarm").as_int64(), 4);

  // One field at a time leaves the others as they are.
  f = patched("tuned", {{"prewarm", 1}});
  EXPECT_EQ(f.at("concurrency").as_int64(), 10);
  EXPECT_EQ(f.at("prewarm").as_int64(), 1);
  EXPECT_EQ(f.at("mode").as_string(), "handler");
  // Numbers may come as strings, as the other numeric fields may.
  f = patched("tuned", {{"concurrency", "3"}});
  EXPECT_EQ(f.at("concurrency").as_int64(), 3);

  // null clears the reservation; then prewarm is bounded only by its own range.
  f = patched("tuned", {{"concurrency", nullptr}});
  EXPECT_TRUE(f.at("concurrency").is_null());
  f = patched("tuned", {{"prewarm", 32}});
  EXPECT_EQ(f.at("prewarm").as_int64(), 32);
  // "" clears too (what a form sends), and back to script mode.
  patched("tuned", {{"concurrency", 32}});
  f = patched("tuned", {{"concurrency", ""}, {"mode", "script"}});
  EXPECT_TRUE(f.at("concurrency").is_null());
  EXPECT_EQ(f.at("mode").as_string(), "script");
  EXPECT_TRUE(function("tuned").at("concurrency").is_null());
}

TEST_F(FunctionConfig, PatchIsCheckedAgainstWhatIsStored) {
  ASSERT_EQ(deploy(*http_, "bounded", "main.py", kHandler, "main.handler",
                   {{"concurrency", "4"}, {"prewarm", "2"}})
                .status,
            201);
  // More warm instances than the stored reservation...
  auto response = http_->patchJson("/api/v1/functions/bounded", {{"prewarm", 5}});
  expectError(response, 400, "invalid_prewarm");
  std::string message(boost::json::parse(response->body).at("error").at("message").as_string());
  EXPECT_NE(message.find("prewarm (5)"), std::string::npos) << message;
  EXPECT_NE(message.find("concurrency (4)"), std::string::npos) << message;
  // ... or a reservation below the stored warm instances.
  expectError(http_->patchJson("/api/v1/functions/bounded", {{"concurrency", 1}}), 400,
              "invalid_prewarm");
  // Nothing of a refused patch is applied, not even its valid fields.
  expectError(http_->patchJson("/api/v1/functions/bounded",
                               {{"description", "changed"}, {"prewarm", 9}}),
              400, "invalid_prewarm");
  auto f = function("bounded");
  EXPECT_EQ(f.at("concurrency").as_int64(), 4);
  EXPECT_EQ(f.at("prewarm").as_int64(), 2);
  EXPECT_EQ(f.at("description").as_string(), "");
  // Both together are fine when they agree with each other.
  f = patched("bounded", {{"concurrency", 1}, {"prewarm", 1}});
  EXPECT_EQ(f.at("concurrency").as_int64(), 1);
  EXPECT_EQ(f.at("prewarm").as_int64(), 1);
}

TEST_F(FunctionConfig, BadValuesInAPatchAreRefusedWithTheirCode) {
  ASSERT_EQ(deploy(*http_, "strict", "main.py", kHandler, "main.handler").status, 201);
  const std::string path = "/api/v1/functions/strict";
  for (auto mode : {boost::json::value("lambda"), boost::json::value(1),
                    boost::json::value(nullptr), boost::json::value(true)})
    expectError(http_->patchJson(path, {{"mode", mode}}), 400, "invalid_mode");
  for (auto c : {boost::json::value(0), boost::json::value(1001), boost::json::value(2.5),
                 boost::json::value(true), boost::json::value("x"),
                 boost::json::value(boost::json::array{1})})
    expectError(http_->patchJson(path, {{"concurrency", c}}), 400, "invalid_concurrency");
  for (auto p : {boost::json::value(-1), boost::json::value(33), boost::json::value(nullptr),
                 boost::json::value(false), boost::json::value("")})
    expectError(http_->patchJson(path, {{"prewarm", p}}), 400, "invalid_prewarm");
  auto f = function("strict");
  EXPECT_EQ(f.at("mode").as_string(), "script");
  EXPECT_TRUE(f.at("concurrency").is_null());
  EXPECT_EQ(f.at("prewarm").as_int64(), 0);
}

TEST_F(FunctionConfig, CliDeployCreatesAndUpdatesThem) {
  auto& server = sharedServer();
  std::vector<std::string> env{"STRATUS_URL=" + server.url(), "STRATUS_API_KEY=" + account_.apiKey};
  auto created = runCli({"deploy", sourcePath("examples/cloud.py"), "--name", "cli-fn",
                         "--handler", "cloud.calculator", "--mode", "handler", "--concurrency",
                         "6", "--prewarm", "3"},
                        env);
  ASSERT_EQ(created.exitCode, 0) << created.out << created.err;
  auto f = function("cli-fn");
  EXPECT_EQ(f.at("mode").as_string(), "handler");
  EXPECT_EQ(f.at("concurrency").as_int64(), 6);
  EXPECT_EQ(f.at("prewarm").as_int64(), 3);

  // A second deploy updates them; "none" clears the reservation.
  auto updated = runCli({"deploy", sourcePath("examples/cloud.py"), "--name", "cli-fn",
                         "--mode", "script", "--concurrency", "none", "--prewarm", "0"},
                        env);
  ASSERT_EQ(updated.exitCode, 0) << updated.out << updated.err;
  f = function("cli-fn");
  EXPECT_EQ(f.at("mode").as_string(), "script");
  EXPECT_TRUE(f.at("concurrency").is_null());
  EXPECT_EQ(f.at("prewarm").as_int64(), 0);
  EXPECT_EQ(f.at("currentVersion").as_int64(), 2);

  // What the command line alone shows to be wrong is a usage error, before any request.
  auto bad = runCli({"deploy", sourcePath("examples/cloud.py"), "--name", "cli-fn", "--mode",
                     "lambda"},
                    env);
  EXPECT_EQ(bad.exitCode, 2) << bad.err;
  EXPECT_NE(bad.err.find("invalid_mode"), std::string::npos) << bad.err;
  auto both = runCli({"deploy", sourcePath("examples/cloud.py"), "--name", "cli-fn",
                      "--concurrency", "2", "--prewarm", "3"},
                     env);
  EXPECT_EQ(both.exitCode, 2) << both.err;
  EXPECT_NE(both.err.find("invalid_prewarm"), std::string::npos) << both.err;
  // Against the stored reservation only the server can tell: an API error (exit 1).
  ASSERT_EQ(runCli({"deploy", sourcePath("examples/cloud.py"), "--name", "cli-fn",
                    "--concurrency", "2"},
                   env)
                .exitCode,
            0);
  auto refused = runCli({"deploy", sourcePath("examples/cloud.py"), "--name", "cli-fn",
                         "--prewarm", "3"},
                        env);
  EXPECT_EQ(refused.exitCode, 1) << refused.err;
  EXPECT_NE(refused.err.find("invalid_prewarm"), std::string::npos) << refused.err;
  EXPECT_EQ(function("cli-fn").at("prewarm").as_int64(), 0);
}

TEST_F(FunctionConfig, InvocationRecordsShowColdStartAndInitDuration) {
  ASSERT_EQ(deploy(*http_, "recorded", "main.py", kHandler, "main.handler").status, 201);
  std::string id(function("recorded").at("id").as_string());
  // Planted in the server's own store: the engine that will write these is not this test's.
  auto db = openServerStore(sharedServer());
  ASSERT_TRUE(db) << db.error().describe();
  store::Invocation cold{.id = "inv-cold", .functionId = id, .version = 1,
                         .executor = "sandbox", .startedAt = 1000, .durationMs = 250,
                         .status = "ok", .coldStart = true, .initDurationMs = 180};
  store::Invocation warm = cold;
  warm.id = "inv-warm";
  warm.startedAt = 2000;
  warm.coldStart = false;
  warm.initDurationMs = 0;
  ASSERT_TRUE((*db)->recordInvocation(cold));
  ASSERT_TRUE((*db)->recordInvocation(warm));

  auto listed = client::expectJson(http_->get("/api/v1/functions/recorded/invocations"));
  ASSERT_TRUE(listed) << listed.error().describe();
  const auto& invocations = listed->at("invocations").as_array();
  ASSERT_EQ(invocations.size(), 2u);
  EXPECT_EQ(invocations[0].at("id").as_string(), "inv-warm");
  EXPECT_FALSE(invocations[0].at("coldStart").as_bool());
  EXPECT_EQ(invocations[0].at("initDurationMs").as_int64(), 0);
  EXPECT_EQ(invocations[1].at("id").as_string(), "inv-cold");
  EXPECT_TRUE(invocations[1].at("coldStart").as_bool());
  EXPECT_EQ(invocations[1].at("initDurationMs").as_int64(), 180);
}

// New code whose entry only a new handler finds: PUT .../code takes the handler (and
// runtime) with the file, checks the code against them and changes both at once. Before,
// neither order worked: the code was checked against the old handler, a PATCH of the
// handler against the old code.
TEST_F(FunctionConfig, CodeUploadCanMoveTheEntry) {
  ASSERT_EQ(deploy(*http_, "mover", "cloud.py", readSource("examples/cloud.py"), "cloud.calculator")
                .status,
            201);
  const std::string zip =
      buildZip({{.path = "calc/main.py", .content = readSource("examples/cloud.py")}});
  auto put = [&](client::FieldList fields, const std::string& bytes) {
    return http_->putMultipart("/api/v1/functions/mover/code", fields,
                               {client::FilePart{"functionFile", "code.zip", bytes}});
  };
  // Refused, and nothing changes: the old handler's entry is not in the zip, the new
  // handler is malformed, the new handler's entry is not in this zip.
  expectError(put({}, zip), 400, "entry_not_found");
  expectError(put({{"handler", "../calc.main"}}, zip), 400, "invalid_handler");
  expectError(put({{"handler", "calc/other.calculator"}}, zip), 400, "entry_not_found");
  expectError(put({{"runtime", "cobol"}, {"handler", "calc/main.calculator"}}, zip), 400,
              "invalid_runtime");
  auto unchanged = function("mover");
  EXPECT_EQ(unchanged.at("handler").as_string(), "cloud.calculator");
  EXPECT_EQ(unchanged.at("currentVersion").as_int64(), 1);

  auto moved = put({{"handler", "calc/main.calculator"}, {"runtime", "python"}}, zip);
  ASSERT_TRUE(moved);
  ASSERT_EQ(moved->status, 200) << moved->body;
  auto now = function("mover");
  EXPECT_EQ(now.at("handler").as_string(), "calc/main.calculator");
  EXPECT_EQ(now.at("runtime").as_string(), "python3.11");
  EXPECT_EQ(now.at("currentVersion").as_int64(), 2);
  auto ran = client::expectJson(
      http_->postJson("/api/v1/functions/mover/invoke", boost::json::object{{"args", boost::json::array{"10", "5"}}}));
  ASSERT_TRUE(ran) << ran.error().describe();
  EXPECT_NE(std::string(ran->at("stdout").as_string()).find("add: 15.0"), std::string::npos)
      << boost::json::serialize(*ran);
}

}  // namespace
}  // namespace stratus::e2e
