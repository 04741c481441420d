// Hostile and malformed input: each is refused with a 4xx and a JSON error naming the
// problem, and nothing is half-written.
#include "support/shared_server.h"
#include "support/zip_builder.h"

namespace stratus::e2e {
namespace {

const char* kScript = "import sys\nprint('v1', *sys.argv[1:])\n";

class BadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    account_ = createAccount(sharedServer());
    http_ = std::make_unique<client::HttpClient>(sharedServer().url(), account_.apiKey);
  }

  // Uploads a function and expects a refusal with this status and error code.
  void expectRefused(const client::FieldList& fields, const client::FilePart& file, long status,
                     const std::string& code) {
    auto response = http_->postMultipart("/api/v1/functions", fields, {file});
    ASSERT_TRUE(response);
    expectError(*response, status, code);
  }

  static void expectError(const client::ClientResponse& response, long status,
                          const std::string& code) {
    EXPECT_EQ(response.status, status) << response.body;
    auto json = boost::json::parse(response.body);
    ASSERT_TRUE(json.is_object()) << response.body;
    auto& error = json.at("error");
    EXPECT_EQ(error.at("code").as_string(), code) << response.body;
    EXPECT_FALSE(error.at("message").as_string().empty());
  }

  void expectNoFunctions() {
    auto listed = client::expectJson(http_->get("/api/v1/functions"));
    ASSERT_TRUE(listed);
    EXPECT_TRUE(listed->at("functions").as_array().empty()) << "a refused upload left a function";
  }

  Account account_;
  std::unique_ptr<client::HttpClient> http_;
};

client::FilePart zipPart(const std::vector<ZipEntry>& entries) {
  return client::FilePart{"functionFile", "code.zip", buildZip(entries), "application/zip"};
}

client::FieldList zipFields(const std::string& name = "zipped") {
  return {{"name", name}, {"runtime", "python3.11"}, {"handler", "main.handler"}};
}

TEST_F(BadInput, MalformedMultipart) {
  auto response = http_->request("POST", "/api/v1/functions",
                                 "--xyz\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nf",
                                 "multipart/form-data; boundary=xyz");
  ASSERT_TRUE(response);
  expectError(*response, 400, "malformed_multipart");
  response = http_->request("POST", "/api/user/functions/new", "hello", "multipart/form-data");
  expectError(*response, 400, "malformed_multipart");
  response = http_->request("POST", "/api/v1/functions", "{}", "application/json");
  expectError(*response, 400, "expected_multipart");
  expectNoFunctions();
}

TEST_F(BadInput, ZipWithParentTraversal) {
  expectRefused(zipFields(), zipPart({{ZipEntry::Kind::file, "main.py", kScript},
                                      {ZipEntry::Kind::file, "../../etc/cron.d/x", "boom"}}),
                400, "zip_path_traversal");
  expectNoFunctions();
}

TEST_F(BadInput, ZipWithAbsolutePath) {
  expectRefused(zipFields(), zipPart({{ZipEntry::Kind::file, "main.py", kScript},
                                      {ZipEntry::Kind::file, "/etc/passwd", "root::0:0"}}),
                400, "zip_absolute_path");
  expectNoFunctions();
}

TEST_F(BadInput, ZipWithSymlink) {
  expectRefused(zipFields(), zipPart({{ZipEntry::Kind::file, "main.py", kScript},
                                      {ZipEntry::Kind::symlink, "secrets", "/etc/shadow"}}),
                400, "zip_link");
  expectNoFunctions();
}

TEST_F(BadInput, ZipBomb) {
  // 300 MB of zeros compresses to well under 1 MB; the unpacked limit is 250 MB.
  expectRefused(zipFields(), zipPart({{ZipEntry::Kind::file, "main.py", kScript},
                                      {ZipEntry::Kind::file, "bomb.bin", "", 300ull << 20}}),
                400, "zip_too_large");
  expectNoFunctions();
}

TEST_F(BadInput, ZipWithoutTheEntryFile) {
  expectRefused(zipFields(), zipPart({{ZipEntry::Kind::file, "other.py", kScript}}), 400,
                "entry_not_found");
}

TEST_F(BadInput, BadNamesHandlersAndRuntimes) {
  client::FilePart file{"functionFile", "main.py", kScript};
  for (std::string name : std::vector<std::string>{"", "-starts-with-dash", "has space", "semi;colon", "../up",
                           std::string(65, 'a'), "ünïcode"})
    expectRefused({{"name", name}, {"handler", "main.handler"}}, file, 400, "invalid_name");
  for (std::string handler : {"nodot", "../main.handler", "/abs.handler", "main.", ".handler",
                              "main.9fn", "a//b.handler"})
    expectRefused({{"name", "f"}, {"handler", handler}}, file, 400, "invalid_handler");
  expectRefused({{"name", "f"}, {"handler", "main.handler"}, {"runtime", "ruby"}}, file, 400,
                "invalid_runtime");
  expectRefused({{"name", "f"}, {"handler", "main.handler"}, {"runtime", "nodejs20"}}, file, 400,
                "invalid_code");
  expectRefused({{"name", "f"}, {"handler", "main.handler"}},
                client::FilePart{"functionFile", "main.rb", "puts 1"}, 400, "invalid_code");
  expectRefused({{"name", "f"}, {"handler", "main.handler"}, {"env", "{\"AWS_SECRET\":\"x\"}"}},
                file, 400, "invalid_env");
  expectRefused({{"name", "f"}, {"handler", "main.handler"}, {"env", "[1,2]"}}, file, 400,
                "invalid_env");
  expectNoFunctions();
}

TEST_F(BadInput, OutOfRangeTimeoutAndMemory) {
  client::FilePart file{"functionFile", "main.py", kScript};
  for (std::string timeout : {"0", "901", "-5", "abc", "3.5", ""})
    expectRefused({{"name", "f"}, {"handler", "main.handler"}, {"timeout", timeout}}, file, 400,
                  "invalid_timeout");
  for (std::string memory : {"127", "10241", "lots", "99999999999999999999"})
    expectRefused({{"name", "f"}, {"handler", "main.handler"}, {"memory", memory}}, file, 400,
                  "invalid_memory");
  auto created = deploy(*http_, "ok", "main.py", kScript, "main.handler",
                        {{"timeout", "900"}, {"memory", "10240"}});
  EXPECT_EQ(created.status, 201) << created.body;
  auto patched = http_->patchJson("/api/v1/functions/ok", {{"timeout", 0}});
  expectError(*patched, 400, "invalid_timeout");
}

TEST_F(BadInput, AnotherUsersFunctionIsNotFound) {
  ASSERT_EQ(deploy(*http_, "mine", "main.py", kScript, "main.handler").status, 201);
  auto mine = client::expectJson(http_->get("/api/v1/functions/mine"));
  ASSERT_TRUE(mine);
  std::string id(mine->at("function").at("id").as_string());

  Account intruder = createAccount(sharedServer());
  client::HttpClient other(sharedServer().url(), intruder.apiKey);
  // 404 and not 403: nothing tells the intruder that the id exists.
  expectError(*other.get("/api/v1/functions/" + id), 404, "function_not_found");
  expectError(*other.get("/api/v1/functions/mine"), 404, "function_not_found");
  expectError(*other.del("/api/user/functions/" + id), 404, "function_not_found");
  expectError(*other.patchJson("/api/v1/functions/" + id, {{"public", true}}), 404,
              "function_not_found");
  EXPECT_EQ(other.get("/api/function/" + account_.userId + "/mine/sandbox")->status, 404);
  // ... and the function is untouched.
  auto still = client::expectJson(http_->get("/api/v1/functions/mine"));
  ASSERT_TRUE(still);
  EXPECT_FALSE(still->at("function").at("public").as_bool());
}

TEST_F(BadInput, MissingOrWrongApiKey) {
  client::HttpClient anonymous(sharedServer().url());
  expectError(*anonymous.get("/api/v1/functions"), 401, "unauthenticated");
  expectError(*anonymous.get("/api/user/functions"), 401, "unauthenticated");
  client::HttpClient wrong(sharedServer().url(), "sk_this-key-was-never-issued");
  expectError(*wrong.get("/api/v1/functions"), 401, "invalid_api_key");
  auto garbage = anonymous.request("GET", "/api/v1/functions", "", "",
                                   {{"Authorization", "Basic dXNlcjpwYXNz"}});
  expectError(*garbage, 401, "invalid_authorization");

  // A revoked key stops working at once.
  client::HttpClient session(sharedServer().url());
  session.setCookieJar(true);
  Account owner = createAccount(sharedServer());
  ASSERT_EQ(session.postJson("/api/v1/auth/signin", {{"email", owner.email},
                                                     {"password", "correct horse battery"}})
                ->status,
            200);
  auto key = client::expectJson(session.postJson("/api/v1/api-keys", {{"name", "k"}}));
  ASSERT_TRUE(key);
  client::HttpClient keyed(sharedServer().url(), std::string(key->at("key").as_string()));
  EXPECT_EQ(keyed.get("/api/v1/functions")->status, 200);
  std::string keyId(key->at("apiKey").at("id").as_string());
  EXPECT_EQ(session.del("/api/v1/api-keys/" + keyId)->status, 204);
  expectError(*keyed.get("/api/v1/functions"), 401, "invalid_api_key");
}

TEST_F(BadInput, DuplicateNameIsRefusedAndLeavesTheOriginalUntouched) {
  ASSERT_EQ(deploy(*http_, "dup", "main.py", kScript, "main.handler").status, 201);
  auto before = client::expectJson(http_->get("/api/v1/functions/dup"));
  ASSERT_TRUE(before);
  auto response = http_->postMultipart(
      "/api/user/functions/new", {{"name", "dup"}, {"handler", "main.handler"}},
      {client::FilePart{"functionFile", "main.py", "print('v2 overwrote you')\n"}});
  expectError(*response, 409, "function_exists");
  auto after = client::expectJson(http_->get("/api/v1/functions/dup"));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->at("function").at("codeSha256"), before->at("function").at("codeSha256"));
  EXPECT_EQ(after->at("function").at("currentVersion").as_int64(), 1);
  auto run = http_->postJson("/api/v1/functions/dup/invoke", {{"args", {"x"}}});
  STRATUS_SKIP_IF_NO_SANDBOX(*run);
  EXPECT_EQ(boost::json::parse(run->body).at("stdout").as_string(), "v1 x\n") << run->body;
}

TEST_F(BadInput, BadSignUpsAndJson) {
  client::HttpClient session(sharedServer().url());
  session.setCookieJar(true);
  expectError(*session.postJson("/api/v1/auth/signup", {{"email", "not-an-email"},
                                                        {"password", "correct horse battery"}}),
              400, "invalid_email");
  expectError(*session.postJson("/api/v1/auth/signup",
                                {{"email", "short@example.com"}, {"password", "short"}}),
              400, "weak_password");
  expectError(*session.request("POST", "/api/v1/auth/signin", "{not json", "application/json"),
              400, "invalid_json");
  expectError(*session.postJson("/api/v1/auth/signin", {{"email", "nobody@example.com"},
                                                        {"password", "correct horse battery"}}),
              401, "invalid_credentials");
  expectError(*session.get("/api/v1/no/such/route"), 404, "not_found");
}

}  // namespace
}  // namespace stratus::e2e
