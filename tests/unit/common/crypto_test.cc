#include "common/crypto.h"

#include <gtest/gtest.h>

#include <set>

#include "common/error.h"

namespace stratus {
namespace {

TEST(Crypto, IdsAreUniqueAndWellFormed) {
  initCrypto();
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = newId();
    ASSERT_EQ(id.size(), 20u);
    for (char c : id) ASSERT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) << id;
    ASSERT_TRUE(seen.insert(id).second);
  }
}

TEST(Crypto, SecretsAreUrlSafe) {
  initCrypto();
  std::string secret = newSecret();
  EXPECT_EQ(secret.size(), 43u);
  EXPECT_EQ(secret.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_NE(newSecret(), secret);
}

TEST(Crypto, Sha256MatchesKnownVector) {
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Crypto, ConstantTimeEquals) {
  EXPECT_TRUE(constantTimeEquals("secret", "secret"));
  EXPECT_FALSE(constantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(constantTimeEquals("secret", "secret2"));
}

TEST(ErrorConvention, ContextChainReadsOutsideIn) {
  Error error{ErrorKind::internal, "system_error", "disk full", {}};
  error.addContext("write blob").addContext("create function");
  EXPECT_EQ(error.describe(), "create function: write blob: disk full");
  EXPECT_EQ(httpStatusOf(ErrorKind::not_found), 404);
  EXPECT_EQ(httpStatusOf(ErrorKind::payload_too_large), 413);
  EXPECT_EQ(httpStatusOf(ErrorKind::not_implemented), 501);
}

}  // namespace
}  // namespace stratus
