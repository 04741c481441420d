// verify() on Lambda-shaped requests signed in the test: each refusal, and each change an
// attacker could make to a signed request.
#include <gtest/gtest.h>

#include "awscompat/sigv4.h"
#include "common/crypto.h"
#include "unit/awscompat/test_requests.h"

namespace stratus::awscompat {
namespace {

using namespace std::chrono;
using testing::makeRequest;
using testing::sign;

const std::string kKeyId = "k7x2m9q4w8e1r5t3y6u0";
const std::string kSecret = "sk_Jb0v1ZqkY3l9F2mXcT8rWnA4pG6sHdE5uKoLiQ7yVzM";
constexpr sys_seconds kSignedAt = sys_days(2026y / March / 14) + 9h + 26min + 53s;
const CredentialScope kScope{"20260314", "us-east-1", "lambda"};
const std::vector<std::string> kSignedHeaders = {"content-type", "host", "x-amz-date",
                                                 "x-amz-invocation-type"};

Result<std::string> lookup(std::string_view id) {
  if (id == kKeyId) return kSecret;
  return fail(ErrorKind::not_found, "not_found", "no such key");
}

class VerifyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { initCrypto(); }

  // POST /2015-03-31/functions/my%20fn/invocations?Qualifier=%24LATEST, as an SDK sends an
  // Invoke of the function "my fn", signed.
  static http::Request invoke(const std::string& amzDate = "20260314T092653Z",
                              const CredentialScope& scope = kScope) {
    auto request =
        makeRequest("POST", "/2015-03-31/functions/my%20fn/invocations?Qualifier=%24LATEST",
                    {{"Host", "stratus.example:8443"},
                     {"Content-Type", "application/json"},
                     {"X-Amz-Date", amzDate},
                     {"X-Amz-Invocation-Type", "RequestResponse"},
                     {"User-Agent", "aws-sdk-js/3"}},
                    R"({"name":"world"})");
    sign(request, kKeyId, kSecret, scope, kSignedHeaders);
    return request;
  }

  static Result<std::string> check(const http::Request& request,
                                   system_clock::time_point now = kSignedAt,
                                   const VerifyOptions& options = {}) {
    return verify(request, lookup, now, options);
  }

  static void expectError(const Result<std::string>& result, std::string_view code,
                          ErrorKind kind) {
    ASSERT_FALSE(result) << "expected " << code;
    EXPECT_EQ(result.error().code, code) << result.error().message;
    EXPECT_EQ(result.error().kind, kind) << result.error().code;
  }

  static void setHeader(http::Request& request, const std::string& name, std::string value) {
    request.headers.erase(name);
    request.headers.emplace(name, std::move(value));
  }
};

TEST_F(VerifyTest, AcceptsTheSignedRequestAndNamesTheKey) {
  auto verified = check(invoke(), kSignedAt, {.service = "lambda", .region = "us-east-1"});
  ASSERT_TRUE(verified) << verified.error().describe();
  EXPECT_EQ(*verified, kKeyId);
}

TEST_F(VerifyTest, WhatIsNotSignedMayChange) {
  auto request = invoke();
  setHeader(request, "User-Agent", "something else");
  request.headers.emplace("X-Forwarded-For", "10.0.0.1");
  EXPECT_TRUE(check(request));
}

TEST_F(VerifyTest, HeaderWhitespaceIsCollapsedBeforeSigning) {
  auto request = invoke();
  // The signer saw "RequestResponse"; a proxy that pads or folds blanks changes nothing.
  setHeader(request, "X-Amz-Invocation-Type", " \t RequestResponse  ");
  EXPECT_TRUE(check(request));
  auto spaced =
      makeRequest("GET", "/2015-03-31/functions",
                  {{"Host", "h"}, {"X-Amz-Date", "20260314T092653Z"}, {"X-Note", "a   b \t c"}});
  sign(spaced, kKeyId, kSecret, kScope, {"host", "x-amz-date", "x-note"});
  setHeader(spaced, "X-Note", "  a b  c ");
  EXPECT_TRUE(check(spaced));
  setHeader(spaced, "X-Note", "a bc");
  expectError(check(spaced), "signature_mismatch", ErrorKind::unauthorized);
}

TEST_F(VerifyTest, QueryOrderDoesNotMatterButValuesDo) {
  auto request = makeRequest("GET", "/2015-03-31/functions?MaxItems=10&Marker=a%20b%2Bc&A=1",
                             {{"Host", "h"}, {"X-Amz-Date", "20260314T092653Z"}});
  sign(request, kKeyId, kSecret, kScope, {"host", "x-amz-date"});
  auto reordered = makeRequest("GET", "/2015-03-31/functions?A=1&Marker=a%20b%2Bc&MaxItems=10",
                               {{"Host", "h"}, {"X-Amz-Date", "20260314T092653Z"}});
  reordered.headers.emplace("Authorization", std::string(*request.header("authorization")));
  EXPECT_TRUE(check(reordered));

  // '+' in a query means a space here (as in every form decoder), so it cannot stand in for
  // the %2B that was signed.
  auto plus = makeRequest("GET", "/2015-03-31/functions?MaxItems=10&Marker=a%20b+c&A=1",
                          {{"Host", "h"}, {"X-Amz-Date", "20260314T092653Z"}});
  plus.headers.emplace("Authorization", std::string(*request.header("authorization")));
  expectError(check(plus), "signature_mismatch", ErrorKind::unauthorized);

  for (std::string target : {"/2015-03-31/functions?MaxItems=11&Marker=a%20b%2Bc&A=1",
                             "/2015-03-31/functions?MaxItems=10&Marker=a%20b%2Bc",
                             "/2015-03-31/functions?MaxItems=10&Marker=a%20b%2Bc&A=1&B=2",
                             "/2015-03-31/functions/?MaxItems=10&Marker=a%20b%2Bc&A=1"}) {
    auto changed = makeRequest("GET", target, {{"Host", "h"}, {"X-Amz-Date", "20260314T092653Z"}});
    changed.headers.emplace("Authorization", std::string(*request.header("authorization")));
    expectError(check(changed), "signature_mismatch", ErrorKind::unauthorized);
  }
}

TEST_F(VerifyTest, RefusesATamperedBody) {
  auto request = invoke();
  request.body = R"({"name":"mallory"})";
  expectError(check(request), "signature_mismatch", ErrorKind::unauthorized);
}

TEST_F(VerifyTest, RefusesATamperedSignedHeader) {
  auto request = invoke();
  setHeader(request, "X-Amz-Invocation-Type", "Event");
  expectError(check(request), "signature_mismatch", ErrorKind::unauthorized);
  request = invoke();
  setHeader(request, "Host", "other.example:8443");
  expectError(check(request), "signature_mismatch", ErrorKind::unauthorized);
}

TEST_F(VerifyTest, RefusesATamperedPathOrMethod) {
  auto request = invoke();
  auto moved =
      makeRequest("POST", "/2015-03-31/functions/other/invocations?Qualifier=%24LATEST", {});
  moved.headers = request.headers;
  moved.body = request.body;
  expectError(check(moved), "signature_mismatch", ErrorKind::unauthorized);
  request.method = "PUT";
  expectError(check(request), "signature_mismatch", ErrorKind::unauthorized);
}

TEST_F(VerifyTest, RefusesAMissingSignedHeader) {
  auto request = invoke();
  request.headers.erase("x-amz-invocation-type");
  expectError(check(request), "signed_header_missing", ErrorKind::invalid_argument);
}

TEST_F(VerifyTest, AllowsFiveMinutesOfSkewEitherWay) {
  auto request = invoke();
  EXPECT_TRUE(check(request, kSignedAt + 5min));
  EXPECT_TRUE(check(request, kSignedAt - 5min));
  expectError(check(request, kSignedAt + 5min + 1s), "request_time_too_skewed",
              ErrorKind::unauthorized);
  expectError(check(request, kSignedAt - 5min - 1s), "request_time_too_skewed",
              ErrorKind::unauthorized);
  expectError(check(request, kSignedAt + 24h), "request_time_too_skewed", ErrorKind::unauthorized);
  EXPECT_TRUE(check(request, kSignedAt + 20min, {.skew = 30min}));
}

TEST_F(VerifyTest, RefusesDatesAtTheEndsOfTheCalendar) {
  // The scope matches, so the skew check is what refuses these.
  for (auto [amzDate, scopeDate] :
       {std::pair{"00000101T000000Z", "00000101"}, std::pair{"99991231T235959Z", "99991231"}}) {
    auto request = invoke(amzDate, {scopeDate, "us-east-1", "lambda"});
    expectError(check(request), "request_time_too_skewed", ErrorKind::unauthorized);
  }
}

TEST_F(VerifyTest, RefusesAScopeDateThatIsNotTheRequestDate) {
  // Signed consistently, so only the scope check can catch it: a key derived for one day
  // must not sign requests dated another.
  auto request = invoke("20260314T092653Z", {"20260313", "us-east-1", "lambda"});
  expectError(check(request), "credential_scope_mismatch", ErrorKind::unauthorized);
}

TEST_F(VerifyTest, RefusesAnotherServiceOrRegionWhenAsked) {
  auto request = invoke("20260314T092653Z", {"20260314", "us-east-1", "s3"});
  EXPECT_TRUE(check(request));
  expectError(check(request, kSignedAt, {.service = "lambda"}), "credential_scope_mismatch",
              ErrorKind::unauthorized);
  expectError(check(invoke(), kSignedAt, {.region = "eu-west-1"}), "credential_scope_mismatch",
              ErrorKind::unauthorized);
}

TEST_F(VerifyTest, RefusesUnsignedRequests) {
  auto request = invoke();
  request.headers.erase("authorization");
  expectError(check(request), "missing_signature", ErrorKind::unauthorized);
  auto presigned = makeRequest(
      "GET",
      "/2015-03-31/functions?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=k%2F20260314%2F"
      "us-east-1%2Flambda%2Faws4_request&X-Amz-Date=20260314T092653Z&X-Amz-Expires=60&"
      "X-Amz-SignedHeaders=host&X-Amz-Signature=" +
          std::string(64, 'a'),
      {{"Host", "h"}});
  auto result = check(presigned);
  expectError(result, "missing_signature", ErrorKind::unauthorized);
  EXPECT_NE(result.error().message.find("presigned"), std::string::npos);
}

TEST_F(VerifyTest, RefusesARepeatedAuthorizationOrDate) {
  auto request = invoke();
  request.headers.emplace("Authorization", std::string(*request.header("authorization")));
  expectError(check(request), "malformed_authorization", ErrorKind::invalid_argument);
  request = invoke();
  request.headers.emplace("X-Amz-Date", "20260314T092653Z");
  expectError(check(request), "malformed_date", ErrorKind::invalid_argument);
}

TEST_F(VerifyTest, RefusesAMissingOrMalformedDate) {
  auto request = invoke();
  request.headers.erase("x-amz-date");
  expectError(check(request), "missing_date", ErrorKind::invalid_argument);
  request = invoke();
  setHeader(request, "X-Amz-Date", "2026-03-14T09:26:53Z");
  expectError(check(request), "malformed_date", ErrorKind::invalid_argument);
}

TEST_F(VerifyTest, TheHostAndTheDateMustBeSigned) {
  auto request = makeRequest("GET", "/2015-03-31/functions",
                             {{"Host", "h"}, {"X-Amz-Date", "20260314T092653Z"}});
  sign(request, kKeyId, kSecret, kScope, {"x-amz-date"});
  expectError(check(request), "header_not_signed", ErrorKind::invalid_argument);
  sign(request, kKeyId, kSecret, kScope, {"host"});
  expectError(check(request), "header_not_signed", ErrorKind::invalid_argument);
}

TEST_F(VerifyTest, ADateHeaderStandsInForXAmzDate) {
  auto request = makeRequest("GET", "/2015-03-31/functions",
                             {{"Host", "h"}, {"Date", "Sat, 14 Mar 2026 09:26:53 GMT"}});
  // The test signer reads X-Amz-Date; sign as if it were there, then take it away.
  request.headers.emplace("X-Amz-Date", "20260314T092653Z");
  sign(request, kKeyId, kSecret, kScope, {"date", "host"});
  request.headers.erase("x-amz-date");
  auto verified = check(request);
  ASSERT_TRUE(verified) << verified.error().describe();
  setHeader(request, "Date", "Sat, 14 Mar 2026 09:26:54 GMT");
  expectError(check(request), "signature_mismatch", ErrorKind::unauthorized);
}

TEST_F(VerifyTest, RefusesAnUnknownKeyAndPassesOnStoreFailures) {
  auto request = invoke();
  auto unknown = [](std::string_view) -> Result<std::string> {
    return fail(ErrorKind::not_found, "not_found", "no such key");
  };
  expectError(verify(request, unknown, kSignedAt), "invalid_access_key", ErrorKind::unauthorized);
  auto revoked = [](std::string_view) -> Result<std::string> {
    return fail(ErrorKind::unauthorized, "revoked", "revoked");
  };
  expectError(verify(request, revoked, kSignedAt), "invalid_access_key", ErrorKind::unauthorized);
  auto empty = [](std::string_view) -> Result<std::string> { return std::string(); };
  expectError(verify(request, empty, kSignedAt), "invalid_access_key", ErrorKind::unauthorized);
  auto down = [](std::string_view) -> Result<std::string> {
    return fail(ErrorKind::unavailable, "storage_unavailable", "database is down");
  };
  expectError(verify(request, down, kSignedAt), "storage_unavailable", ErrorKind::unavailable);
}

TEST_F(VerifyTest, RefusesTheWrongSecret) {
  auto request = invoke();
  auto other = [](std::string_view) -> Result<std::string> { return std::string("sk_other"); };
  expectError(verify(request, other, kSignedAt), "signature_mismatch", ErrorKind::unauthorized);
}

TEST_F(VerifyTest, ChecksADeclaredPayloadHashAgainstTheBody) {
  auto request = invoke();
  request.headers.emplace("X-Amz-Content-Sha256", sha256Hex(request.body));
  sign(request, kKeyId, kSecret, kScope,
       {"content-type", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-invocation-type"});
  EXPECT_TRUE(check(request));
  // A body swapped under a signed declaration is caught by the declaration, not trusted.
  request.body = R"({"name":"mallory"})";
  expectError(check(request), "content_sha256_mismatch", ErrorKind::invalid_argument);

  for (std::string declared : {"UNSIGNED-PAYLOAD", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "abc"}) {
    request = invoke();
    request.headers.emplace("X-Amz-Content-Sha256", declared);
    expectError(check(request), "malformed_content_sha256", ErrorKind::invalid_argument);
  }
}

TEST_F(VerifyTest, RefusesPathsThatAreNotNormalized) {
  for (std::string target :
       {"/2015-03-31//functions/f/invocations", "/2015-03-31/functions/./f/invocations",
        "/2015-03-31/functions/x/../f/invocations"}) {
    auto request = makeRequest("POST", target, {{"Host", "h"}, {"X-Amz-Date", "20260314T092653Z"}});
    sign(request, kKeyId, kSecret, kScope, {"host", "x-amz-date"});
    expectError(check(request), "unnormalized_path", ErrorKind::invalid_argument);
  }
}

TEST_F(VerifyTest, RefusesAControlCharacterInASignedHeader) {
  auto request = invoke();
  setHeader(request, "X-Amz-Invocation-Type", "RequestResponse\nx-injected:1");
  expectError(check(request), "malformed_header", ErrorKind::invalid_argument);
}

}  // namespace
}  // namespace stratus::awscompat
