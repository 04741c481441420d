#include "auth/auth_service.h"

#include <gtest/gtest.h>

#include "common/crypto.h"
#include "store/sqlite/sqlite_store.h"

namespace stratus::auth {
namespace {

class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    initCrypto();
    auto opened = store::sqlite::openSqliteStore(":memory:");
    ASSERT_TRUE(opened) << opened.error().describe();
    store_ = std::move(*opened);
    AuthOptions options;
    options.passwordCost = PasswordCost{1, 8u << 20};
    auth_ = std::make_unique<AuthService>(*store_, options);
  }
  store::MetadataStorePtr store_;
  std::unique_ptr<AuthService> auth_;
};

TEST_F(AuthServiceTest, SignUpNormalisesAndSignInChecksThePassword) {
  auto user = auth_->signUp(" Ada@Example.com", "correct horse battery", "Ada");
  ASSERT_TRUE(user) << user.error().describe();
  EXPECT_EQ(user->email, "ada@example.com");
  EXPECT_FALSE(user->emailVerifiedAt.has_value());
  EXPECT_NE(*user->passwordHash, "correct horse battery");
  EXPECT_TRUE(auth_->signIn("ADA@example.com", "correct horse battery"));
  EXPECT_EQ(auth_->signUp("ada@example.com", "another password!", "").error().code, "email_taken");
}

TEST_F(AuthServiceTest, UnknownEmailAndWrongPasswordLookTheSame) {
  ASSERT_TRUE(auth_->signUp("ada@example.com", "correct horse battery", ""));
  auto wrong = auth_->signIn("ada@example.com", "wrong password here");
  auto unknown = auth_->signIn("bob@example.com", "correct horse battery");
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().code, unknown.error().code);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
  EXPECT_EQ(wrong.error().kind, ErrorKind::unauthorized);
}

TEST_F(AuthServiceTest, SessionsAreStoredHashedAndEndAtSignOut) {
  auto user = auth_->signUp("ada@example.com", "correct horse battery", "");
  ASSERT_TRUE(user);
  auto session = auth_->createSession(user->id);
  ASSERT_TRUE(session);
  EXPECT_FALSE(store_->sessionByHash(session->cookieValue));  // never stored in the clear
  auto identity = auth_->authenticateSession(session->cookieValue);
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->user.id, user->id);
  EXPECT_TRUE(auth_->signOut(session->cookieValue));
  EXPECT_EQ(auth_->authenticateSession(session->cookieValue).error().kind,
            ErrorKind::unauthorized);
  EXPECT_FALSE(auth_->authenticateSession("forged"));
}

TEST_F(AuthServiceTest, ExpiredSessionsAreRefused) {
  AuthOptions shortLived;
  shortLived.passwordCost = PasswordCost{1, 8u << 20};
  shortLived.sessionLifetimeMs = -1;  // already expired when created
  AuthService auth(*store_, shortLived);
  auto user = auth.signUp("ada@example.com", "correct horse battery", "");
  ASSERT_TRUE(user);
  auto session = auth.createSession(user->id);
  ASSERT_TRUE(session);
  EXPECT_FALSE(auth.authenticateSession(session->cookieValue));
}

TEST_F(AuthServiceTest, ApiKeysAreShownOnceListedAndRevocable) {
  auto user = auth_->signUp("ada@example.com", "correct horse battery", "");
  ASSERT_TRUE(user);
  auto key = auth_->createApiKey(user->id, "laptop");
  ASSERT_TRUE(key);
  EXPECT_TRUE(key->key.starts_with("sk_"));
  EXPECT_EQ(key->record.prefix, key->key.substr(0, 10));
  EXPECT_NE(key->record.hash, key->key);
  auto identity = auth_->authenticateApiKey(key->key);
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->via, CredentialKind::apiKey);
  auto listed = auth_->listApiKeys(user->id);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().name, "laptop");

  auto other = auth_->signUp("bob@example.com", "correct horse battery", "");
  EXPECT_FALSE(auth_->revokeApiKey(other->id, key->record.id));  // not Bob's key
  EXPECT_TRUE(auth_->authenticateApiKey(key->key));
  EXPECT_TRUE(auth_->revokeApiKey(user->id, key->record.id));
  EXPECT_EQ(auth_->authenticateApiKey(key->key).error().code, "invalid_api_key");
  EXPECT_FALSE(auth_->authenticateApiKey("sk_made-up"));
  EXPECT_FALSE(auth_->authenticateApiKey("not even the prefix"));
  EXPECT_FALSE(auth_->createApiKey(user->id, ""));
}

TEST_F(AuthServiceTest, ApiKeysSealTheirSecretForSignatureVersion4) {
  AuthOptions options;
  options.passwordCost = PasswordCost{1, 8u << 20};
  options.keySealingKey = std::string(32, 'k');
  AuthService auth(*store_, options);
  auto user = auth.signUp("ada@example.com", "correct horse battery", "");
  ASSERT_TRUE(user);
  auto key = auth.createApiKey(user->id, "sdk");
  ASSERT_TRUE(key);
  ASSERT_TRUE(key->record.sealedSecret.has_value());
  // Stored sealed, never in the clear.
  EXPECT_EQ(key->record.sealedSecret->find(key->key), std::string::npos);
  auto secret = auth.signingSecret(key->record.id);
  ASSERT_TRUE(secret) << secret.error().describe();
  EXPECT_EQ(*secret, key->key);
  auto identity = auth.identityOfKey(key->record.id);
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->user.id, user->id);
  EXPECT_EQ(identity->apiKeyId, key->record.id);

  EXPECT_EQ(auth.signingSecret("no-such-key").error().kind, ErrorKind::not_found);
  EXPECT_EQ(auth.signingSecret(std::string(200, 'a')).error().kind, ErrorKind::not_found);
  ASSERT_TRUE(auth.revokeApiKey(user->id, key->record.id));
  EXPECT_EQ(auth.signingSecret(key->record.id).error().kind, ErrorKind::not_found);
  EXPECT_EQ(auth.identityOfKey(key->record.id).error().kind, ErrorKind::unauthorized);
}

TEST_F(AuthServiceTest, AKeyWithoutAStoredSecretCannotSignAndSaysWhatToDo) {
  auto user = auth_->signUp("ada@example.com", "correct horse battery", "");
  ASSERT_TRUE(user);
  auto old = auth_->createApiKey(user->id, "old");  // auth_ seals nothing, like keys of schema 3
  ASSERT_TRUE(old);
  EXPECT_FALSE(old->record.sealedSecret.has_value());
  EXPECT_TRUE(auth_->authenticateApiKey(old->key));  // still fine as a bearer key
  AuthOptions options;
  options.passwordCost = PasswordCost{1, 8u << 20};
  options.keySealingKey = std::string(32, 'k');
  AuthService sealing(*store_, options);
  auto refused = sealing.signingSecret(old->record.id);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::forbidden);
  EXPECT_EQ(refused.error().code, "key_cannot_sign");
  EXPECT_NE(refused.error().message.find("create a new API key"), std::string::npos);

  // Sealed under another server secret: the same answer, not a wrong secret.
  auto fresh = sealing.createApiKey(user->id, "fresh");
  ASSERT_TRUE(fresh);
  options.keySealingKey = std::string(32, 'z');
  AuthService otherServer(*store_, options);
  EXPECT_EQ(otherServer.signingSecret(fresh->record.id).error().code, "key_cannot_sign");
}

}  // namespace
}  // namespace stratus::auth
