#include "auth/oauth/jwt.h"

#include <gtest/gtest.h>

#include "auth/oauth/base64url.h"

namespace stratus::auth::oauth {
namespace {

std::string part(std::string_view json) { return base64UrlEncode(json); }

const std::string kHeader = part(R"({"alg":"RS256","kid":"k1","typ":"JWT"})");
const std::string kPayload = part(R"({"sub":"42","iss":"https://issuer.test"})");
const std::string kSignature = base64UrlEncode("signature-bytes");

void expectMalformed(std::string_view token) {
  auto jws = parseJws(token);
  ASSERT_FALSE(jws) << token;
  EXPECT_EQ(jws.error().code, "jwt_malformed");
  EXPECT_EQ(jws.error().kind, ErrorKind::unauthorized);
}

TEST(Jwt, SplitsAndDecodesACompactJws) {
  auto jws = parseJws(kHeader + "." + kPayload + "." + kSignature);
  ASSERT_TRUE(jws) << jws.error().describe();
  EXPECT_EQ(jws->alg, "RS256");
  EXPECT_EQ(jws->kid, "k1");
  EXPECT_EQ(jws->headerJson.at("typ").as_string(), "JWT");
  EXPECT_EQ(jws->payloadJson.at("sub").as_string(), "42");
  EXPECT_EQ(jws->signingInput, kHeader + "." + kPayload);
  EXPECT_EQ(jws->signature, "signature-bytes");
}

TEST(Jwt, KidIsOptional) {
  auto jws = parseJws(part(R"({"alg":"ES256"})") + "." + kPayload + "." + kSignature);
  ASSERT_TRUE(jws);
  EXPECT_EQ(jws->kid, "");
}

TEST(Jwt, RefusesTheWrongNumberOfParts) {
  expectMalformed("");
  expectMalformed(kHeader);
  expectMalformed(kHeader + "." + kPayload);
  expectMalformed(kHeader + "." + kPayload + "." + kSignature + "." + kSignature);
  expectMalformed(kHeader + "." + kPayload + ".");  // unsigned
  expectMalformed(kHeader + ".." + kSignature);
  expectMalformed("." + kPayload + "." + kSignature);
}

TEST(Jwt, RefusesBadBase64Url) {
  expectMalformed(kHeader + "=x." + kPayload + "." + kSignature);
  expectMalformed(kHeader + "." + kPayload + "+" + "." + kSignature);
  expectMalformed(kHeader + "." + kPayload + "." + kSignature + "/");
}

TEST(Jwt, RefusesJsonThatIsNotAnObject) {
  expectMalformed(part("[1,2]") + "." + kPayload + "." + kSignature);
  expectMalformed(kHeader + "." + part("\"text\"") + "." + kSignature);
  expectMalformed(kHeader + "." + part("{\"sub\":") + "." + kSignature);
  expectMalformed(part("not json") + "." + kPayload + "." + kSignature);
}

TEST(Jwt, RefusesMissingOrNoneAlgorithms) {
  expectMalformed(part(R"({"kid":"k1"})") + "." + kPayload + "." + kSignature);
  expectMalformed(part(R"({"alg":""})") + "." + kPayload + "." + kSignature);
  expectMalformed(part(R"({"alg":7})") + "." + kPayload + "." + kSignature);
  expectMalformed(part(R"({"alg":"none"})") + "." + kPayload + "." + kSignature);
  expectMalformed(part(R"({"alg":"NoNe"})") + "." + kPayload + "." + kSignature);
}

TEST(Jwt, RefusesOddHeaders) {
  expectMalformed(part(R"({"alg":"RS256","kid":5})") + "." + kPayload + "." + kSignature);
  expectMalformed(part(R"({"alg":"RS256","crit":["exp"],"exp":1})") + "." + kPayload + "." +
                  kSignature);
}

TEST(Jwt, RefusesHugeTokens) {
  std::string big = part("{\"sub\":\"" + std::string(20000, 'a') + "\"}");
  expectMalformed(kHeader + "." + big + "." + kSignature);
}

}  // namespace
}  // namespace stratus::auth::oauth
