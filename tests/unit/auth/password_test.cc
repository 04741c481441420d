#include "auth/password.h"

#include <gtest/gtest.h>

#include "common/crypto.h"

namespace stratus::auth {
namespace {

// A cheap cost: these tests check behaviour, not strength.
const PasswordCost kTestCost{1, 8u << 20};

TEST(Password, HashIsArgon2idAndVerifies) {
  initCrypto();
  auto hash = hashPassword("correct horse battery", kTestCost);
  ASSERT_TRUE(hash);
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_TRUE(verifyPassword(*hash, "correct horse battery"));
  EXPECT_FALSE(verifyPassword(*hash, "correct horse batterY"));
  EXPECT_NE(*hashPassword("correct horse battery", kTestCost), *hash);  // salted
}

TEST(Password, LengthRules) {
  EXPECT_EQ(validatePassword("short").error().code, "weak_password");
  EXPECT_TRUE(validatePassword(std::string(kMinPasswordLength, 'x')));
  EXPECT_FALSE(validatePassword(std::string(kMaxPasswordLength + 1, 'x')));
}

TEST(Email, Normalisation) {
  EXPECT_EQ(*normaliseEmail("  Ada@Example.COM "), "ada@example.com");
  for (auto bad : {"", "ada", "@example.com", "ada@", "ada@example", "a@b@c.com", "a b@c.com",
                   "ada@.com", "ada@example..com", "ada@example.com."})
    EXPECT_EQ(normaliseEmail(bad).error().code, "invalid_email") << bad;
}

}  // namespace
}  // namespace stratus::auth
