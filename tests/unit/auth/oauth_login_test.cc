#include "auth/oauth_login.h"

#include <gtest/gtest.h>

#include "auth/auth_service.h"
#include "common/crypto.h"
#include "store/sqlite/sqlite_store.h"

namespace stratus::auth {
namespace {

class OAuthLoginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    initCrypto();
    store_ = std::move(*store::sqlite::openSqliteStore(":memory:"));
    AuthOptions options;
    options.passwordCost = PasswordCost{1, 8u << 20};
    auth_ = std::make_unique<AuthService>(*store_, options);
  }
  static oauth::ExternalIdentity identity(std::string subject, std::string email, bool verified) {
    oauth::ExternalIdentity id;
    id.provider = "github";
    id.subject = std::move(subject);
    id.email = std::move(email);
    id.emailVerified = verified;
    id.name = "Ada";
    return id;
  }
  store::MetadataStorePtr store_;
  std::unique_ptr<AuthService> auth_;
};

TEST_F(OAuthLoginTest, NewVerifiedIdentityMakesAVerifiedAccountAndLinksIt) {
  auto first = signInWithProvider(*store_, identity("42", "Ada@Example.com", true));
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->user.email, "ada@example.com");
  EXPECT_TRUE(first->user.emailVerifiedAt.has_value());
  EXPECT_FALSE(first->user.passwordHash.has_value());
  // Next time the link decides, even if the provider's email changed meanwhile.
  auto again = signInWithProvider(*store_, identity("42", "other@example.com", false));
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->user.id, first->user.id);
}

TEST_F(OAuthLoginTest, VerifiedEmailLinksToTheExistingAccount) {
  auto existing = auth_->signUp("ada@example.com", "correct horse battery", "");
  ASSERT_TRUE(existing);
  ASSERT_TRUE(store_->markEmailVerified(existing->id, 1));
  auto linked = signInWithProvider(*store_, identity("42", "ada@example.com", true));
  ASSERT_TRUE(linked);
  EXPECT_TRUE(linked->linked);
  EXPECT_FALSE(linked->created);
  EXPECT_EQ(linked->user.id, existing->id);
  // A verified account keeps its password.
  EXPECT_TRUE(auth_->signIn("ada@example.com", "correct horse battery"));
}

TEST_F(OAuthLoginTest, UnverifiedProviderEmailNeverTakesOverAnAccount) {
  auto existing = auth_->signUp("ada@example.com", "correct horse battery", "");
  ASSERT_TRUE(existing);
  auto refused = signInWithProvider(*store_, identity("666", "ada@example.com", false));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "provider_email_unverified");
  EXPECT_EQ(store_->linkedAccount("github", "666").error().kind, ErrorKind::not_found);
  // And the answer is the same when no account has the address.
  auto unknown = signInWithProvider(*store_, identity("667", "nobody@example.com", false));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, refused.error().code);
  EXPECT_EQ(store_->userByEmail("nobody@example.com").error().kind, ErrorKind::not_found);
}

TEST_F(OAuthLoginTest, LinkingAnUnverifiedSignUpDropsItsPasswordAndSessions) {
  // Someone (perhaps not the owner) signed up with the address and never verified it.
  auto squatter = auth_->signUp("ada@example.com", "squatters password", "");
  ASSERT_TRUE(squatter);
  auto session = auth_->createSession(squatter->id);
  ASSERT_TRUE(session);
  auto key = auth_->createApiKey(squatter->id, "squatters key");
  ASSERT_TRUE(key);
  auto owner = signInWithProvider(*store_, identity("42", "ada@example.com", true));
  ASSERT_TRUE(owner);
  EXPECT_EQ(owner->user.id, squatter->id);
  EXPECT_TRUE(owner->user.emailVerifiedAt.has_value());
  EXPECT_FALSE(auth_->signIn("ada@example.com", "squatters password"));
  EXPECT_FALSE(auth_->authenticateSession(session->cookieValue));
  EXPECT_FALSE(auth_->authenticateApiKey(key->key));
}

TEST_F(OAuthLoginTest, IdentityWithoutSubjectIsRefused) {
  EXPECT_EQ(signInWithProvider(*store_, identity("", "ada@example.com", true)).error().code,
            "oauth_identity_invalid");
}

}  // namespace
}  // namespace stratus::auth
