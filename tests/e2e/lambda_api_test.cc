// The Lambda-compatible API against the real AWS SDK for JavaScript v3: each test runs one
// scenario of tests/fixtures/sigv4/lambda_api.mjs, whose @aws-sdk/client-lambda client
// points at the shared `stratus serve` and signs with an API key of a new account. The
// scenario asserts as it goes; a failure here shows its output. Skips with the reason when
// node, the fixture's packages (scripts/install-test-deps.sh) or the sandbox are missing.
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>
#include <tuple>

#include "common/crypto.h"
#include "support/shared_server.h"
#include "support/storage.h"
#include "support/zip_builder.h"
#include "testing/node_process.h"
#include "testing/temp_dir.h"

namespace stratus::e2e {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const fs::path kFixture = fs::path(STRATUS_SOURCE_DIR) / "tests" / "fixtures" / "sigv4";

// Two versions of one handler (which code ran is in the answer, what it printed in the
// log), a function URL handler that echoes the payload format 2.0 event it got, and a
// Node.js handler.
const char* kHandlerV1 = R"(import json, os
def handler(event, context):
    print("printed by v1", json.dumps(event))
    if isinstance(event, dict) and event.get("fail"):
        raise ValueError("asked to fail")
    return {"code": "v1", "event": event, "greeting": os.environ.get("GREETING", "")}
)";
const char* kHandlerV2 = R"(import json, os
def handler(event, context):
    print("printed by v2", json.dumps(event))
    return {"code": "v2", "event": event, "greeting": os.environ.get("GREETING", "")}
)";
const char* kUrlHandler = R"(import json
def handler(event, context):
    if event["rawPath"] == "/plain":
        return {"plain": True}
    echo = {"version": event["version"], "method": event["requestContext"]["http"]["method"],
            "rawPath": event["rawPath"], "rawQueryString": event["rawQueryString"],
            "query": event.get("queryStringParameters"), "cookies": event.get("cookies"),
            "body": event.get("body"), "isBase64Encoded": event["isBase64Encoded"]}
    return {"statusCode": 201, "headers": {"x-from": "function"}, "cookies": ["seen=yes"],
            "body": json.dumps(echo)}
)";
const char* kNodeHandler = R"(exports.handler = async (event) => ({ code: "node", event });
)";

std::string readAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string skipReason() {
  if (!stratus::testing::nodeBinary()) return "node is not on PATH";
  if (!fs::exists(kFixture / "node_modules" / "@aws-sdk" / "client-lambda" / "package.json"))
    return "the AWS SDK is not installed in tests/fixtures/sigv4 (scripts/install-test-deps.sh)";
  return {};
}

// Whether the shared server can run functions at all: asked once, with a v1 deploy.
const std::string& sandboxMissing() {
  static const std::string reason = [] {
    Account account = createAccount(sharedServer());
    client::HttpClient http(sharedServer().url(), account.apiKey);
    auto deployed = deploy(http, "probe", "probe.py", "def handler(e, c):\n    return 1\n",
                           "probe.handler", {{"mode", "handler"}});
    if (deployed.status != 201) return "could not deploy a probe: " + deployed.body;
    auto answer = invokeFunction(http, "probe");
    return answer.status == 501 ? "the sandbox executor is unavailable: " + answer.body
                                : std::string();
  }();
  return reason;
}

class LambdaApi : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = skipReason(); !why.empty()) GTEST_SKIP() << "skipped: " << why;
    if (auto why = sandboxMissing(); !why.empty()) GTEST_SKIP() << "skipped: " << why;
  }

  // Writes the zips and the scenario's configuration, runs it (at most 170 s) and returns
  // its exit code; its output goes to `output`.
  // `key`, when given, signs instead of the new account's own key: {id, secret}.
  int runScenario(const std::string& scenario, std::string& output,
                  std::string secretSuffix = {},
                  std::optional<std::pair<std::string, std::string>> key = {}) {
    Account account = createAccount(sharedServer());
    client::HttpClient http(sharedServer().url(), account.apiKey);
    auto keys = client::expectJson(http.request("GET", "/api/v1/api-keys"));
    if (!keys) {
      output = "listing the API keys failed: " + keys.error().message;
      return -1;
    }
    std::string keyId(keys->at("apiKeys").as_array().at(0).at("id").as_string());
    std::string secret = account.apiKey + secretSuffix;
    if (key) std::tie(keyId, secret) = *key;
    json::object zips;
    for (auto [name, entry, source] :
         {std::tuple{"v1", "app.py", kHandlerV1}, std::tuple{"v2", "app.py", kHandlerV2},
          std::tuple{"url", "app.py", kUrlHandler}, std::tuple{"node", "index.js", kNodeHandler}}) {
      const fs::path file = dir_.path() / (std::string(name) + ".zip");
      std::ofstream(file, std::ios::binary) << buildZip({{ZipEntry::Kind::file, entry, source}});
      zips[name] = file.string();
    }
    const fs::path config = dir_.path() / "config.json";
    std::ofstream(config) << json::serialize(json::object{
        {"endpoint", sharedServer().url()},
        {"accessKeyId", keyId},
        {"secret", secret},
        {"apiKey", account.apiKey},
        {"zips", std::move(zips)},
    });
    const fs::path log = dir_.path() / "node.log";
    const pid_t pid = stratus::testing::spawnNodeScript(
        *stratus::testing::nodeBinary(),
        {(kFixture / "lambda_api.mjs").string(), scenario, config.string()}, kFixture, log);
    if (pid < 0) return -1;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(170);
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        stratus::testing::killAndReap(pid);
        output = readAll(log) + "\n(killed after 170 s)";
        return -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    output = readAll(log);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  void expectScenarioPasses(const std::string& scenario) {
    std::string output;
    EXPECT_EQ(runScenario(scenario, output), 0) << output << "\n--- server log ---\n"
                                                << sharedServer().log();
    EXPECT_NE(output.find(scenario + ": ok"), std::string::npos) << output;
  }

  stratus::testing::TempDir dir_;
};

TEST_F(LambdaApi, CreatesInvokesUpdatesListsAndDeletesFromAZip) { expectScenarioPasses("lifecycle"); }

TEST_F(LambdaApi, EventInvocationsRunLaterAndFailuresAreRetriedTwice) {
  expectScenarioPasses("async");
}

TEST_F(LambdaApi, PublishedVersionsAndAWeightedAliasServeBothVersions) {
  expectScenarioPasses("versions");
}

TEST_F(LambdaApi, ReservedConcurrencyZeroThrottles) { expectScenarioPasses("concurrency"); }

TEST_F(LambdaApi, FunctionUrlsAnswerPlainHttpWithPayloadFormat2) { expectScenarioPasses("url"); }

TEST_F(LambdaApi, AWrongSecretAnUnknownKeyAndNoSignatureAreRefused) {
  expectScenarioPasses("refused");
}

// A key as schema 3 stored it (its digest only), planted in the server's own database: a
// signature with it is refused with the remedy, while it still works as a bearer key.
TEST_F(LambdaApi, AKeyFromBeforeSealedSecretsIsToldToMakeANewOne) {
  initCrypto();
  Account account = createAccount(sharedServer());
  auto store = openServerStore(sharedServer());
  ASSERT_TRUE(store) << store.error().describe();
  const std::string oldKey = "sk_" + newSecret();
  const std::string oldId = newId();
  ASSERT_TRUE((*store)->createApiKey(store::ApiKey{.id = oldId,
                                                   .userId = account.userId,
                                                   .name = "from schema 3",
                                                   .hash = sha256Hex(oldKey),
                                                   .prefix = oldKey.substr(0, 10),
                                                   .createdAt = 1}));
  client::HttpClient bearer(sharedServer().url(), oldKey);
  auto listed = bearer.request("GET", "/api/v1/functions");
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->status, 200) << listed->body;
  std::string output;
  EXPECT_EQ(runScenario("oldkey", output, {}, std::pair{oldId, oldKey}), 0) << output;
  EXPECT_NE(output.find("oldkey: ok"), std::string::npos) << output;
}

// The scenario's own assertions can fail: with a wrong secret its first call is refused,
// so the lifecycle scenario must not report success.
TEST_F(LambdaApi, TheScenariosFailWhenTheServerRefusesThem) {
  std::string output;
  EXPECT_EQ(runScenario("lifecycle", output, "-wrong"), 1) << output;
  EXPECT_NE(output.find("InvalidSignatureException"), std::string::npos) << output;
}

}  // namespace
}  // namespace stratus::e2e
