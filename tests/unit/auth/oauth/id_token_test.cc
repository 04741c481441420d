#include "auth/oauth/id_token.h"

#include <gtest/gtest.h>

#include "auth/oauth/base64url.h"
#include "common/crypto.h"
#include "test_signer.h"

namespace stratus::auth::oauth {
namespace {

using test::TestKey;

constexpr int64_t kNow = 1'700'000'000;
const char* const kIssuer = "https://accounts.example.test";
const char* const kClient = "stratus-client-id";
const char* const kNonce = "nonce-of-this-sign-in";

const TestKey& rsaKey() {
  static const TestKey key = TestKey::rsa("rsa-1");
  return key;
}
const TestKey& ecKey() {
  static const TestKey key = TestKey::p256("ec-1");
  return key;
}
const TestKey& strangerKey() {  // a key the provider does not publish
  static const TestKey key = TestKey::rsa("rsa-1");
  return key;
}

Jwks providerKeys(std::vector<const TestKey*> keys = {&rsaKey(), &ecKey()}) {
  boost::json::array published;
  for (const auto* key : keys) published.push_back(key->publicJwk());
  auto jwks = parseJwks(boost::json::value(boost::json::object{{"keys", published}}));
  EXPECT_TRUE(jwks);
  return std::move(*jwks);
}

boost::json::object goodClaims() {
  return {{"iss", kIssuer},
          {"aud", kClient},
          {"sub", "110169484474386276334"},
          {"email", "ada@example.test"},
          {"email_verified", true},
          {"name", "Ada Lovelace"},
          {"iat", kNow - 5},
          {"exp", kNow + 3600},
          {"nonce", kNonce}};
}

IdTokenExpectations expectations() {
  IdTokenExpectations expected{kIssuer, kClient, kNonce, kNow};
  return expected;
}

void expectRefused(std::string_view token, std::string_view code, const Jwks& keys) {
  auto claims = validateIdToken(token, keys, expectations());
  ASSERT_FALSE(claims) << "accepted, expected " << code;
  EXPECT_EQ(claims.error().code, code) << claims.error().message;
  EXPECT_EQ(claims.error().kind, ErrorKind::unauthorized);
}

void expectRefused(std::string_view token, std::string_view code) {
  expectRefused(token, code, providerKeys());
}

void expectRefusedClaims(const boost::json::object& claims, std::string_view code) {
  expectRefused(test::signToken(rsaKey(), claims), code);
}

TEST(IdToken, AcceptsAGoodRs256Token) {
  auto claims =
      validateIdToken(test::signToken(rsaKey(), goodClaims()), providerKeys(), expectations());
  ASSERT_TRUE(claims) << claims.error().describe();
  EXPECT_EQ(claims->subject, "110169484474386276334");
  EXPECT_EQ(claims->email, "ada@example.test");
  EXPECT_EQ(claims->name, "Ada Lovelace");
  EXPECT_TRUE(claims->emailVerified);
}

TEST(IdToken, AcceptsAGoodEs256Token) {
  auto claims =
      validateIdToken(test::signToken(ecKey(), goodClaims()), providerKeys(), expectations());
  ASSERT_TRUE(claims) << claims.error().describe();
  EXPECT_EQ(claims->subject, "110169484474386276334");
}

TEST(IdToken, EmailVerifiedMayBeAStringAndDefaultsToFalse) {
  auto claims = goodClaims();
  claims["email_verified"] = "true";
  auto result = validateIdToken(test::signToken(rsaKey(), claims), providerKeys(), expectations());
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->emailVerified);
  for (boost::json::value unverified : {boost::json::value(false), boost::json::value("false"),
                                        boost::json::value("yes"), boost::json::value(1)}) {
    claims["email_verified"] = unverified;
    result = validateIdToken(test::signToken(rsaKey(), claims), providerKeys(), expectations());
    ASSERT_TRUE(result);
    EXPECT_FALSE(result->emailVerified) << boost::json::serialize(unverified);
  }
  claims.erase("email_verified");
  claims.erase("email");
  claims.erase("name");
  result = validateIdToken(test::signToken(rsaKey(), claims), providerKeys(), expectations());
  ASSERT_TRUE(result);
  EXPECT_FALSE(result->emailVerified);
  EXPECT_EQ(result->email, "");
  EXPECT_EQ(result->name, "");
}

TEST(IdToken, RefusesMalformedTokens) {
  expectRefused("", "id_token_malformed");
  expectRefused("a.b", "id_token_malformed");
  expectRefused("not.a.token!", "id_token_malformed");
  std::string good = test::signToken(rsaKey(), goodClaims());
  expectRefused(good + ".extra", "id_token_malformed");
  for (const char* required : {"sub", "exp", "iat"}) {
    auto claims = goodClaims();
    claims.erase(required);
    expectRefusedClaims(claims, "id_token_malformed");
  }
  auto claims = goodClaims();
  claims["exp"] = "tomorrow";
  expectRefusedClaims(claims, "id_token_malformed");
  claims = goodClaims();
  claims["sub"] = 42;
  expectRefusedClaims(claims, "id_token_malformed");
}

TEST(IdToken, RefusesAlgNone) {
  std::string unsigned_ = test::encodeJson({{"alg", "none"}, {"kid", "rsa-1"}}) + "." +
                          test::encodeJson(goodClaims()) + ".";
  expectRefused(unsigned_, "id_token_malformed");
  std::string withSignature = test::encodeJson({{"alg", "none"}, {"kid", "rsa-1"}}) + "." +
                              test::encodeJson(goodClaims()) + "." + base64UrlEncode("x");
  expectRefused(withSignature, "id_token_malformed");
}

TEST(IdToken, FindsTheKeyByKidOrTheOnlyKeyOfTheAlgorithm) {
  expectRefused(test::signToken(rsaKey(), goodClaims(), {{"kid", "rotated-away"}}),
                "id_token_unknown_key");
  // No kid and exactly one RS256 key: that one.
  std::string input = test::encodeJson({{"alg", "RS256"}}) + "." + test::encodeJson(goodClaims());
  std::string token = input + "." + base64UrlEncode(rsaKey().sign(input));
  EXPECT_TRUE(validateIdToken(token, providerKeys(), expectations()));
  // No kid and two RS256 keys: ambiguous, refused.
  static const TestKey second = TestKey::rsa("rsa-2");
  expectRefused(token, "id_token_unknown_key", providerKeys({&rsaKey(), &second, &ecKey()}));
  // And no key at all.
  expectRefused(test::signToken(rsaKey(), goodClaims()), "id_token_unknown_key", Jwks{});
}

TEST(IdToken, RefusesABadSignature) {
  std::string token = test::signToken(rsaKey(), goodClaims());
  std::size_t dot = token.rfind('.');
  std::string signature = *base64UrlDecode(token.substr(dot + 1));
  signature[0] = static_cast<char>(signature[0] ^ 0xff);
  expectRefused(token.substr(0, dot + 1) + base64UrlEncode(signature), "id_token_bad_signature");
  // Signed by someone else's key that happens to use a published kid.
  expectRefused(test::signToken(strangerKey(), goodClaims()), "id_token_bad_signature");
  // A valid signature over other claims, spliced onto ours.
  auto otherClaims = goodClaims();
  otherClaims["sub"] = "attacker";
  std::string other = test::signToken(rsaKey(), otherClaims);
  expectRefused(token.substr(0, dot) + other.substr(other.rfind('.')), "id_token_bad_signature");
}

TEST(IdToken, RefusesAlgorithmConfusion) {
  // The classic attack: HS256 with the provider's public key as the HMAC secret.
  expectRefused(test::hmacToken(rsaKey().publicPem(), goodClaims(), {{"kid", "rsa-1"}}),
                "id_token_bad_signature");
  std::string modulus = *base64UrlDecode(rsaKey().publicJwk().at("n").as_string());
  expectRefused(test::hmacToken(modulus, goodClaims(), {{"kid", "rsa-1"}}),
                "id_token_bad_signature");
  // Without a kid there is no HS256 key to pick.
  expectRefused(test::hmacToken(rsaKey().publicPem(), goodClaims(), {}), "id_token_unknown_key");
  // An RSA signature presented as ES256 under the RSA key's kid, and vice versa.
  expectRefused(test::signToken(rsaKey(), goodClaims(), {{"alg", "ES256"}}),
                "id_token_bad_signature");
  expectRefused(test::signToken(ecKey(), goodClaims(), {{"alg", "RS256"}}),
                "id_token_bad_signature");
  expectRefused(test::signToken(rsaKey(), goodClaims(), {{"alg", "PS256"}}),
                "id_token_bad_signature");
}

TEST(IdToken, RefusesAnotherIssuer) {
  for (boost::json::value issuer :
       {boost::json::value("https://evil.example.test"),
        boost::json::value("https://accounts.example.test/"),
        boost::json::value("HTTPS://accounts.example.test"), boost::json::value(nullptr)}) {
    auto claims = goodClaims();
    claims["iss"] = issuer;
    expectRefusedClaims(claims, "id_token_wrong_issuer");
  }
  auto claims = goodClaims();
  claims.erase("iss");
  expectRefusedClaims(claims, "id_token_wrong_issuer");
}

TEST(IdToken, AcceptsTheAlternateSpellingOfTheIssuerOnlyWhenNamed) {
  auto claims = goodClaims();
  claims["iss"] = "accounts.example.test";
  const std::string token = test::signToken(rsaKey(), claims);
  auto strict = validateIdToken(token, providerKeys(), expectations());
  ASSERT_FALSE(strict);
  EXPECT_EQ(strict.error().code, "id_token_wrong_issuer");
  auto lenient = expectations();
  lenient.alternateIssuer = "accounts.example.test";
  EXPECT_TRUE(validateIdToken(token, providerKeys(), lenient));
}

TEST(IdToken, ChecksTheAudienceAndAuthorizedParty) {
  auto claims = goodClaims();
  claims["aud"] = "another-client";
  expectRefusedClaims(claims, "id_token_wrong_audience");
  claims.erase("aud");
  expectRefusedClaims(claims, "id_token_wrong_audience");
  claims["aud"] = boost::json::array{"another-client"};
  expectRefusedClaims(claims, "id_token_wrong_audience");

  // An array naming us alone is fine.
  claims["aud"] = boost::json::array{kClient};
  EXPECT_TRUE(validateIdToken(test::signToken(rsaKey(), claims), providerKeys(), expectations()));
  // Several audiences: azp must name us.
  claims["aud"] = boost::json::array{"another-client", kClient};
  expectRefusedClaims(claims, "id_token_wrong_audience");
  claims["azp"] = "another-client";
  expectRefusedClaims(claims, "id_token_wrong_audience");
  claims["azp"] = kClient;
  EXPECT_TRUE(validateIdToken(test::signToken(rsaKey(), claims), providerKeys(), expectations()));
  // A single audience with a foreign azp is refused too.
  claims = goodClaims();
  claims["azp"] = "another-client";
  expectRefusedClaims(claims, "id_token_wrong_audience");
}

TEST(IdToken, ChecksExpiryAndIssueTimeWithLeeway) {
  auto claims = goodClaims();
  claims["exp"] = kNow - 61;
  expectRefusedClaims(claims, "id_token_expired");
  claims["exp"] = kNow - 60;  // exp must be later than now - leeway
  expectRefusedClaims(claims, "id_token_expired");
  claims["exp"] = kNow - 59;
  EXPECT_TRUE(validateIdToken(test::signToken(rsaKey(), claims), providerKeys(), expectations()));
  claims["exp"] = static_cast<double>(kNow) + 10.5;  // NumericDate may be fractional
  EXPECT_TRUE(validateIdToken(test::signToken(rsaKey(), claims), providerKeys(), expectations()));

  claims = goodClaims();
  claims["iat"] = kNow + 61;
  expectRefusedClaims(claims, "id_token_expired");
  claims["iat"] = kNow + 60;
  EXPECT_TRUE(validateIdToken(test::signToken(rsaKey(), claims), providerKeys(), expectations()));
  claims = goodClaims();
  claims["nbf"] = kNow + 120;
  expectRefusedClaims(claims, "id_token_expired");

  // A huge exp is not a way around the checks.
  claims = goodClaims();
  claims["exp"] = 1e300;
  expectRefusedClaims(claims, "id_token_malformed");
}

TEST(IdToken, ChecksTheNonce) {
  auto claims = goodClaims();
  claims["nonce"] = "a-replayed-nonce";
  expectRefusedClaims(claims, "id_token_nonce_mismatch");
  claims["nonce"] = std::string(kNonce) + "x";
  expectRefusedClaims(claims, "id_token_nonce_mismatch");
  claims["nonce"] = 7;
  expectRefusedClaims(claims, "id_token_nonce_mismatch");
  claims.erase("nonce");
  expectRefusedClaims(claims, "id_token_nonce_mismatch");
  // A caller that lost its nonce gets no pass either.
  IdTokenExpectations noNonce = expectations();
  noNonce.nonce.clear();
  claims["nonce"] = "";
  auto result = validateIdToken(test::signToken(rsaKey(), claims), providerKeys(), noNonce);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, "id_token_nonce_mismatch");
}

TEST(IdToken, ReportsTheFirstFailureInOrder) {
  auto claims = goodClaims();
  claims["iss"] = "https://evil.example.test";
  claims["aud"] = "another-client";
  claims["exp"] = kNow - 3600;
  claims["nonce"] = "other";
  expectRefusedClaims(claims, "id_token_wrong_issuer");
  claims["iss"] = kIssuer;
  expectRefusedClaims(claims, "id_token_wrong_audience");
  claims["aud"] = kClient;
  expectRefusedClaims(claims, "id_token_expired");
  claims["exp"] = kNow + 3600;
  expectRefusedClaims(claims, "id_token_nonce_mismatch");
  // A bad signature wins over every claim problem.
  expectRefused(test::signToken(strangerKey(), claims), "id_token_bad_signature");
}

}  // namespace
}  // namespace stratus::auth::oauth
