// The SMTP mailer against a real server that insists on STARTTLS and authentication
// (tests/fixtures/smtp/tls_auth_server.py on aiosmtpd): the upgrade, the certificate check
// and AUTH all happen for real, and a mail arrives only when all three succeed.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "mail/smtp_mailer.h"
#include "testing/smtp_server.h"

namespace stratus::mail {
namespace {

using testing::SmtpServer;
using testing::SmtpServerOptions;

class SmtpTls : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!SmtpServer::tlsAvailable()) GTEST_SKIP() << SmtpServer::tlsSkipReason();
    server_ = std::make_unique<SmtpServer>(SmtpServerOptions{true, "mailer", "relay password 1"});
  }

  SmtpOptions options() const {
    SmtpOptions o;
    o.url = server_->url();
    o.username = "mailer";
    o.password = "relay password 1";
    o.caFile = server_->caFile();
    o.timeoutMs = 10000;
    return o;
  }
  static Message message(std::string subject) {
    Message m;
    m.from = "Stratus <no-reply@example.com>";
    m.to = "ada@example.org";
    m.subject = std::move(subject);
    m.text = "Open https://stratus.test/verify?token=abc to verify.\n";
    return m;
  }
  Status send(const SmtpOptions& o, const std::string& subject) {
    auto mailer = makeSmtpMailer(o);
    if (!mailer) return std::unexpected(mailer.error());
    return (*mailer)->send(message(subject));
  }
  // Nothing arrives later either: give a wrongly accepted mail time to land.
  void expectNothingArrived() {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_TRUE(server_->mails().empty());
  }

  std::unique_ptr<SmtpServer> server_;
};

TEST_F(SmtpTls, StartTlsWithTheRightCredentialsDelivers) {
  auto sent = send(options(), "over TLS");
  ASSERT_TRUE(sent) << sent.error().describe();
  auto mails = server_->waitForMails(1, std::chrono::seconds(10));
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].subject, "over TLS");
  EXPECT_NE(mails[0].text.find("verify?token=abc"), std::string::npos);
}

TEST_F(SmtpTls, CredentialsForceTlsEvenWhenTlsIsOptional) {
  auto o = options();
  o.requireTls = false;
  auto sent = send(o, "still TLS");
  ASSERT_TRUE(sent) << sent.error().describe();
  EXPECT_EQ(server_->waitForMails(1, std::chrono::seconds(10)).size(), 1u);
}

TEST_F(SmtpTls, AnUntrustedCertificateGetsNoCredentialsAndNoMail) {
  auto o = options();
  o.caFile.clear();  // the system's CAs do not know this self-signed certificate
  auto sent = send(o, "untrusted");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(sent.error().code, "mail_unavailable");
  expectNothingArrived();
}

TEST_F(SmtpTls, AWrongPasswordIsRefused) {
  auto o = options();
  o.password = "not the password";
  auto sent = send(o, "wrong password");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, "mail_unavailable");
  EXPECT_EQ(sent.error().describe().find("not the password"), std::string::npos)
      << "the password never appears in the error";
  EXPECT_EQ(sent.error().describe().find("Timeout"), std::string::npos)
      << "refused at once, not timed out: " << sent.error().describe();
  expectNothingArrived();
}

TEST_F(SmtpTls, NoCredentialsAgainstAServerThatRequiresThemIsRefused) {
  auto o = options();
  o.username.clear();
  o.password.clear();
  auto sent = send(o, "anonymous");
  ASSERT_FALSE(sent);
  expectNothingArrived();
}

}  // namespace
}  // namespace stratus::mail
