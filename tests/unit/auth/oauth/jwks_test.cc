#include "auth/oauth/jwks.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "auth/oauth/base64url.h"
#include "test_signer.h"

namespace stratus::auth::oauth {
namespace {

using test::TestKey;

// Made once: RSA key generation takes a noticeable fraction of a second under sanitizers.
const TestKey& rsaKey() {
  static const TestKey key = TestKey::rsa("rsa-1");
  return key;
}
const TestKey& ecKey() {
  static const TestKey key = TestKey::p256("ec-1");
  return key;
}

Jwks parse(boost::json::array keys) {
  auto jwks = parseJwks(boost::json::value(boost::json::object{{"keys", std::move(keys)}}));
  EXPECT_TRUE(jwks) << jwks.error().describe();
  return jwks ? std::move(*jwks) : Jwks{};
}

TEST(Jwks, ParsesRsaAndP256Keys) {
  Jwks jwks = parse({rsaKey().publicJwk(), ecKey().publicJwk()});
  ASSERT_EQ(jwks.keys.size(), 2u);
  EXPECT_EQ(jwks.keys[0].kid, "rsa-1");
  EXPECT_EQ(jwks.keys[0].kty, "RSA");
  EXPECT_EQ(jwks.keys[0].alg, "RS256");
  EXPECT_EQ(jwks.keys[0].use, "sig");
  EXPECT_NE(jwks.keys[0].key, nullptr);
  EXPECT_EQ(jwks.keys[1].kid, "ec-1");
  EXPECT_EQ(jwks.keys[1].kty, "EC");
  EXPECT_EQ(jwks.keys[1].alg, "ES256");
}

TEST(Jwks, ParsesTheDocumentText) {
  std::string text = boost::json::serialize(
      boost::json::object{{"keys", boost::json::array{rsaKey().publicJwk()}}});
  auto jwks = parseJwksText(text);
  ASSERT_TRUE(jwks);
  EXPECT_EQ(jwks->keys.size(), 1u);
}

TEST(Jwks, ImpliesTheAlgorithmWhenNotPublished) {
  auto rsa = rsaKey().publicJwk();
  rsa.erase("alg");
  rsa.erase("use");
  auto ec = ecKey().publicJwk();
  ec.erase("alg");
  Jwks jwks = parse({rsa, ec});
  ASSERT_EQ(jwks.keys.size(), 2u);
  EXPECT_EQ(jwks.keys[0].alg, "RS256");
  EXPECT_EQ(jwks.keys[0].use, "");
  EXPECT_EQ(jwks.keys[1].alg, "ES256");
}

TEST(Jwks, LeavesOutKeysItCannotUse) {
  auto encryption = rsaKey().publicJwk();
  encryption["use"] = "enc";
  auto rs384 = rsaKey().publicJwk();
  rs384["alg"] = "RS384";
  auto p384 = ecKey().publicJwk();
  p384["crv"] = "P-384";
  auto badModulus = rsaKey().publicJwk();
  badModulus["n"] = "not*base64";
  auto shortCoordinate = ecKey().publicJwk();
  shortCoordinate["x"] = base64UrlEncode(std::string(31, '\x01'));
  auto offCurve = ecKey().publicJwk();
  offCurve["y"] = base64UrlEncode(std::string(32, '\x01'));
  auto wrongKty = ecKey().publicJwk();
  wrongKty["kty"] = "RSA";  // EC fields under an RSA label: no n/e
  auto small = TestKey::rsa("small", 1024).publicJwk();
  boost::json::object symmetric{{"kty", "oct"}, {"k", "c2VjcmV0"}, {"kid", "hmac"}};
  Jwks jwks = parse({encryption, rs384, p384, badModulus, shortCoordinate, offCurve, wrongKty,
                     small, symmetric, "not an object", rsaKey().publicJwk()});
  ASSERT_EQ(jwks.keys.size(), 1u);
  EXPECT_EQ(jwks.keys[0].kid, "rsa-1");
}

TEST(Jwks, RefusesADocumentWithoutAKeysArray) {
  for (const char* text : {"", "[]", "{}", R"({"keys":{}})", "not json"}) {
    auto jwks = parseJwksText(text);
    ASSERT_FALSE(jwks) << text;
    EXPECT_EQ(jwks.error().code, "jwks_invalid");
    EXPECT_EQ(jwks.error().kind, ErrorKind::unavailable);
  }
}

TEST(Jwks, VerifiesRs256AndEs256Signatures) {
  Jwks jwks = parse({rsaKey().publicJwk(), ecKey().publicJwk()});
  std::string input = "header.payload";
  EXPECT_TRUE(verify(jwks.keys[0], "RS256", input, rsaKey().sign(input)));
  EXPECT_TRUE(verify(jwks.keys[1], "ES256", input, ecKey().sign(input)));
  EXPECT_FALSE(verify(jwks.keys[0], "RS256", "header.payloaD", rsaKey().sign(input)));
  EXPECT_FALSE(verify(jwks.keys[1], "ES256", "header.payloaD", ecKey().sign(input)));
}

TEST(Jwks, RefusesDamagedSignatures) {
  Jwks jwks = parse({rsaKey().publicJwk(), ecKey().publicJwk()});
  std::string input = "header.payload";
  std::string rsa = rsaKey().sign(input);
  std::string ec = ecKey().sign(input);
  for (std::string* signature : {&rsa, &ec}) {
    std::string flipped = *signature;
    flipped[10] = static_cast<char>(flipped[10] ^ 0x40);
    EXPECT_FALSE(verify(jwks.keys[signature == &rsa ? 0 : 1], signature == &rsa ? "RS256" : "ES256",
                        input, flipped));
  }
  EXPECT_FALSE(verify(jwks.keys[0], "RS256", input, rsa.substr(1)));
  EXPECT_FALSE(verify(jwks.keys[0], "RS256", input, ""));
  EXPECT_FALSE(verify(jwks.keys[1], "ES256", input, ec + "x"));
  EXPECT_FALSE(verify(jwks.keys[1], "ES256", input, ""));
  EXPECT_FALSE(verify(jwks.keys[1], "ES256", input, std::string(64, '\0')));
}

TEST(Jwks, NeverLetsTheTokenChooseAnotherAlgorithm) {
  Jwks jwks = parse({rsaKey().publicJwk(), ecKey().publicJwk()});
  std::string input = "header.payload";
  std::string rsa = rsaKey().sign(input);
  EXPECT_FALSE(verify(jwks.keys[0], "ES256", input, rsa));
  EXPECT_FALSE(verify(jwks.keys[0], "RS512", input, rsa));
  EXPECT_FALSE(verify(jwks.keys[0], "PS256", input, rsa));
  EXPECT_FALSE(verify(jwks.keys[0], "HS256", input, rsa));
  EXPECT_FALSE(verify(jwks.keys[0], "none", input, rsa));
  EXPECT_FALSE(verify(jwks.keys[0], "rs256", input, rsa));
  EXPECT_FALSE(verify(jwks.keys[1], "RS256", input, ecKey().sign(input)));
}

}  // namespace
}  // namespace stratus::auth::oauth
