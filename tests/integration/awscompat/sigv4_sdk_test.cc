// The verifier against the real client: tests/fixtures/sigv4/sign.mjs has the AWS SDK for
// JavaScript sign Lambda calls (Invoke by name, by ARN, by name:qualifier, GetFunction,
// ListFunctions with an awkward Marker) and one bare SignatureV4 request, and records each
// as it arrived on the wire. Every one must verify here, and none once changed. Skips with
// the reason when node or the fixture's packages are missing.
#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/wait.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "awscompat/sigv4.h"
#include "common/crypto.h"
#include "http/query.h"
#include "testing/node_process.h"
#include "testing/temp_dir.h"

namespace stratus::awscompat {
namespace {

namespace json = boost::json;
using stratus::testing::nodeBinary;

std::filesystem::path fixtureDir() {
  return std::filesystem::path(STRATUS_SOURCE_DIR) / "tests" / "fixtures" / "sigv4";
}

std::optional<std::string> skipReason() {
  if (!nodeBinary()) return "node is not on PATH (the AWS SDK signs the requests under Node.js)";
  for (const char* package : {"@aws-sdk/client-lambda", "@smithy/signature-v4"}) {
    if (!std::filesystem::exists(fixtureDir() / "node_modules" / package / "package.json"))
      return "the AWS SDK is not installed; run: npm ci --prefix tests/fixtures/sigv4";
  }
  return std::nullopt;
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs sign.mjs (at most 60 s) and returns its output, or why there is none.
std::expected<json::object, std::string> runSigner() {
  stratus::testing::TempDir dir;
  const auto output = dir.path() / "signed.json";
  const auto log = dir.path() / "node.log";
  const pid_t pid = stratus::testing::spawnNodeScript(
      *nodeBinary(), {(fixtureDir() / "sign.mjs").string(), output.string()}, fixtureDir(), log);
  if (pid < 0) return std::unexpected("fork failed");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      stratus::testing::killAndReap(pid);
      return std::unexpected("sign.mjs did not finish: " + readFile(log));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return std::unexpected("sign.mjs failed (status " + std::to_string(status) +
                           "): " + readFile(log));
  boost::system::error_code error;
  json::value parsed = json::parse(readFile(output), error);
  if (error || !parsed.is_object()) return std::unexpected("sign.mjs wrote no JSON object");
  return parsed.as_object();
}

std::string fromBase64(std::string_view text) {
  std::string bytes(text.size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(),
                        text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0)
    ADD_FAILURE() << "bad base64 from sign.mjs";
  bytes.resize(length);
  return bytes;
}

// A recorded request as the HTTP server would hand it to a route.
http::Request toRequest(const json::object& recorded) {
  http::Request request;
  request.method = json::value_to<std::string>(recorded.at("method"));
  request.target = json::value_to<std::string>(recorded.at("target"));
  auto target = http::parseTarget(request.target);
  EXPECT_TRUE(target) << request.target;
  if (target) {
    request.path = target->path;
    request.query = target->query;
  }
  for (const json::value& header : recorded.at("headers").as_array()) {
    const json::array& pair = header.as_array();
    request.headers.emplace(json::value_to<std::string>(pair.at(0)),
                            json::value_to<std::string>(pair.at(1)));
  }
  request.body = fromBase64(recorded.at("bodyBase64").as_string());
  return request;
}

class SigV4SdkTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    initCrypto();
    if (skipReason()) return;
    auto output = runSigner();
    if (output)
      signed_ = new json::object(std::move(*output));
    else
      error_ = new std::string(output.error());
  }
  static void TearDownTestSuite() {
    delete signed_;
    signed_ = nullptr;
    delete error_;
    error_ = nullptr;
  }
  void SetUp() override {
    if (auto reason = skipReason()) GTEST_SKIP() << "skipped: " << *reason;
    ASSERT_NE(signed_, nullptr) << (error_ ? *error_ : "");
  }

  static std::string field(std::string_view name) {
    return json::value_to<std::string>(signed_->at(name));
  }
  static const json::array& recorded() { return signed_->at("requests").as_array(); }
  static std::string nameOf(const json::value& recorded) {
    return json::value_to<std::string>(recorded.at("name"));
  }

  static Result<std::string> check(const http::Request& request) {
    const std::string keyId = field("accessKeyId");
    const std::string secret = field("secret");
    auto lookup = [&](std::string_view id) -> Result<std::string> {
      if (id == keyId) return secret;
      return fail(ErrorKind::not_found, "not_found", "no such key");
    };
    return verify(request, lookup, std::chrono::system_clock::now(),
                  {.service = field("service"), .region = field("region")});
  }

  static json::object* signed_;
  static std::string* error_;
};

json::object* SigV4SdkTest::signed_ = nullptr;
std::string* SigV4SdkTest::error_ = nullptr;

TEST_F(SigV4SdkTest, EveryRequestTheSdkSignedVerifies) {
  ASSERT_EQ(recorded().size(), 6u);
  for (const json::value& each : recorded()) {
    auto verified = check(toRequest(each.as_object()));
    ASSERT_TRUE(verified) << nameOf(each) << " (SDK " << field("sdkVersion")
                          << "): " << verified.error().describe();
    EXPECT_EQ(*verified, field("accessKeyId"));
  }
}

// The double encoding is what makes these pass: the SDK sends "arn%3Aaws..." and signs
// "arn%253Aaws...".
TEST_F(SigV4SdkTest, TheSdkEncodesFunctionNamesIntoThePath) {
  std::map<std::string, std::string> targets;
  for (const json::value& each : recorded())
    targets[nameOf(each)] = json::value_to<std::string>(each.at("target"));
  EXPECT_EQ(targets["invoke-arn"],
            "/2015-03-31/functions/"
            "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn/invocations");
  EXPECT_EQ(targets["invoke-qualified-name"], "/2015-03-31/functions/my-fn%3Aprod/invocations");
  EXPECT_EQ(targets["signer-corners"].substr(0, 42), "/2015-03-31/functions/my%20fn/invocations?");
}

TEST_F(SigV4SdkTest, NoRequestVerifiesOnceChanged) {
  for (const json::value& each : recorded()) {
    const std::string name = nameOf(each);
    const http::Request original = toRequest(each.as_object());

    http::Request body = original;
    body.body += " ";
    EXPECT_FALSE(check(body)) << name << ": body";

    http::Request host = original;
    host.headers.erase("host");
    host.headers.emplace("Host", "attacker.example");
    auto hostResult = check(host);
    ASSERT_FALSE(hostResult) << name << ": host";
    EXPECT_EQ(hostResult.error().code, "signature_mismatch");

    http::Request query = original;
    query.query.emplace_back("Extra", "1");
    auto queryResult = check(query);
    ASSERT_FALSE(queryResult) << name << ": query";
    EXPECT_EQ(queryResult.error().code, "signature_mismatch");

    http::Request method = original;
    method.method = original.method == "GET" ? "DELETE" : "PUT";
    EXPECT_FALSE(check(method)) << name << ": method";

    http::Request unsignedRequest = original;
    unsignedRequest.headers.erase("authorization");
    auto unsignedResult = check(unsignedRequest);
    ASSERT_FALSE(unsignedResult);
    EXPECT_EQ(unsignedResult.error().code, "missing_signature");
  }
}

}  // namespace
}  // namespace stratus::awscompat
