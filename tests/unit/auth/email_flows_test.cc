#include "auth/email_flows.h"

#include <gtest/gtest.h>

#include <mutex>
#include <vector>

#include "common/clock.h"
#include "common/crypto.h"
#include "store/sqlite/sqlite_store.h"

namespace stratus::auth {
namespace {

// The token is the last "token=" query value of the mail's text.
std::string tokenIn(const mail::Message& message) {
  auto at = message.text.rfind("token=");
  if (at == std::string::npos) return {};
  auto end = message.text.find_first_of(" \n", at);
  return message.text.substr(at + 6, end - at - 6);
}

class EmailFlowsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    initCrypto();
    store_ = std::move(*store::sqlite::openSqliteStore(":memory:"));
    AuthOptions options;
    options.passwordCost = PasswordCost{1, 8u << 20};
    auth_ = std::make_unique<AuthService>(*store_, options);
    flows_ = std::make_unique<EmailFlows>(
        *store_, *auth_,
        [this](mail::Message message) {
          std::lock_guard lock(mutex_);
          sent_.push_back(std::move(message));
          return true;
        },
        EmailFlowOptions{MailContext{"Stratus <no-reply@example.com>", "https://fn.example"}});
    user_ = *auth_->signUp("ada@example.com", "correct horse battery", "Ada");
  }
  std::vector<mail::Message> sent() {
    std::lock_guard lock(mutex_);
    return sent_;
  }

  store::MetadataStorePtr store_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<EmailFlows> flows_;
  store::User user_;
  std::mutex mutex_;
  std::vector<mail::Message> sent_;
};

TEST_F(EmailFlowsTest, VerificationLinkVerifiesOnce) {
  ASSERT_TRUE(flows_->sendVerification(user_));
  ASSERT_EQ(sent().size(), 1u);
  const auto mail = sent()[0];
  EXPECT_EQ(mail.to, "ada@example.com");
  EXPECT_EQ(mail.from, "Stratus <no-reply@example.com>");
  EXPECT_NE(mail.text.find("https://fn.example/verify?token="), std::string::npos);
  EXPECT_NE(mail.html.find("https://fn.example/verify?token="), std::string::npos);
  auto verified = flows_->verify(tokenIn(mail));
  ASSERT_TRUE(verified) << verified.error().describe();
  EXPECT_TRUE(verified->emailVerifiedAt.has_value());
  EXPECT_EQ(flows_->verify(tokenIn(mail)).error().code, "invalid_token");
}

TEST_F(EmailFlowsTest, ANewVerificationMailVoidsTheOldLink) {
  ASSERT_TRUE(flows_->sendVerification(user_));
  ASSERT_TRUE(flows_->sendVerification(user_));
  ASSERT_EQ(sent().size(), 2u);
  EXPECT_EQ(flows_->verify(tokenIn(sent()[0])).error().code, "invalid_token");
  EXPECT_TRUE(flows_->verify(tokenIn(sent()[1])));
}

TEST_F(EmailFlowsTest, ExpiredVerificationTokenIsRefused) {
  store::OneTimeToken old{sha256Hex("old-token"), user_.id, "verify", nowMs() - 2000,
                          nowMs() - 1000, {}};
  ASSERT_TRUE(store_->createToken(old));
  EXPECT_EQ(flows_->verify("old-token").error().code, "invalid_token");
  EXPECT_FALSE(store_->userById(user_.id)->emailVerifiedAt.has_value());
}

TEST_F(EmailFlowsTest, ResetSetsThePasswordEndsSessionsAndWorksOnce) {
  auto session = auth_->createSession(user_.id);
  ASSERT_TRUE(session);
  ASSERT_TRUE(flows_->sendPasswordReset("ada@example.com"));
  ASSERT_EQ(sent().size(), 1u);
  const std::string token = tokenIn(sent()[0]);
  EXPECT_NE(sent()[0].text.find("https://fn.example/reset?token="), std::string::npos);

  // A password that breaks the rules does not spend the token.
  EXPECT_EQ(flows_->resetPassword(token, "short").error().code, "weak_password");
  auto reset = flows_->resetPassword(token, "a brand new passphrase");
  ASSERT_TRUE(reset) << reset.error().describe();
  EXPECT_TRUE(reset->emailVerifiedAt.has_value());  // the link reached the mailbox
  EXPECT_FALSE(auth_->authenticateSession(session->cookieValue));
  EXPECT_FALSE(auth_->signIn("ada@example.com", "correct horse battery"));
  EXPECT_TRUE(auth_->signIn("ada@example.com", "a brand new passphrase"));
  EXPECT_EQ(flows_->resetPassword(token, "yet another passphrase").error().code,
            "invalid_token");
}

TEST_F(EmailFlowsTest, ResetOfAnUnverifiedAccountRevokesItsKeys) {
  auto key = auth_->createApiKey(user_.id, "made before the address was proved");
  ASSERT_TRUE(key);
  ASSERT_TRUE(flows_->sendPasswordReset("ada@example.com"));
  ASSERT_TRUE(flows_->resetPassword(tokenIn(sent()[0]), "a brand new passphrase"));
  EXPECT_FALSE(auth_->authenticateApiKey(key->key));
  // Once verified, a later reset leaves keys alone.
  auto later = auth_->createApiKey(user_.id, "made after");
  ASSERT_TRUE(later);
  ASSERT_TRUE(flows_->sendPasswordReset("ada@example.com"));
  ASSERT_TRUE(flows_->resetPassword(tokenIn(sent()[1]), "another passphrase!!"));
  EXPECT_TRUE(auth_->authenticateApiKey(later->key));
}

TEST_F(EmailFlowsTest, ResetForUnknownAddressSendsNothingAndSucceeds) {
  EXPECT_TRUE(flows_->sendPasswordReset("nobody@example.com"));
  EXPECT_TRUE(sent().empty());
}

TEST_F(EmailFlowsTest, AVerifyTokenDoesNotResetAndAResetTokenDoesNotVerify) {
  ASSERT_TRUE(flows_->sendVerification(user_));
  ASSERT_TRUE(flows_->sendPasswordReset("ada@example.com"));
  EXPECT_EQ(flows_->resetPassword(tokenIn(sent()[0]), "a brand new passphrase").error().code,
            "invalid_token");
  EXPECT_EQ(flows_->verify(tokenIn(sent()[1])).error().code, "invalid_token");
}

TEST_F(EmailFlowsTest, DeferredWorkRunsInOrderAndFlushWaits) {
  std::vector<int> order;
  for (int i = 0; i < 5; ++i) flows_->defer([&order, i] { order.push_back(i); });
  flows_->flush();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST_F(EmailFlowsTest, FailedHandOverIsReportedAsUnavailable) {
  EmailFlows refusing(*store_, *auth_, [](mail::Message) { return false; },
                      EmailFlowOptions{MailContext{"a@example.com", "https://fn.example"}});
  auto sent = refusing.sendVerification(user_);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().kind, ErrorKind::unavailable);
}

}  // namespace
}  // namespace stratus::auth
