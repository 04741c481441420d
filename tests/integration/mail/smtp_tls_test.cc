// The SMTP mailer against a real relay that insists on STARTTLS and authentication
// (tests/fixtures/smtp/tls_auth_server.py on aiosmtpd, see testing/smtp_server.h): the
// upgrade, the certificate check and AUTH all happen for real, and a mail arrives only when
// all three succeed. The relay stamps each stored mail with the TLS version and the login it
// came in with, so a delivery shows that both happened, not only that the relay was set up
// to demand them.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "mail/smtp_mailer.h"
#include "testing/smtp_server.h"
#include "testing/temp_dir.h"

namespace stratus::mail {
namespace {

using namespace std::chrono_literals;
using testing::SmtpServer;
using testing::SmtpServerOptions;

constexpr const char* kUser = "mailer";
constexpr const char* kPassword = "relay password 1";

class SmtpTls : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!SmtpServer::tlsAvailable()) GTEST_SKIP() << SmtpServer::tlsSkipReason();
    server_ = std::make_unique<SmtpServer>(SmtpServerOptions{true, kUser, kPassword});
  }

  // What an operator of a relay with a private CA configures.
  SmtpOptions options() const {
    SmtpOptions o;
    o.url = server_->url();
    o.username = kUser;
    o.password = kPassword;
    o.caFile = server_->caFile();
    o.timeoutMs = 10'000;
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
  static Status send(const SmtpOptions& o, const std::string& subject) {
    auto mailer = makeSmtpMailer(o);
    if (!mailer) return std::unexpected(mailer.error());
    return (*mailer)->send(message(subject));
  }
  void expectDeliveredOverTlsAs(const std::string& subject) {
    const auto mails = server_->waitForMails(1, 10s);
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_EQ(mails[0].subject, subject);
    EXPECT_EQ(mails[0].text, message(subject).text);
    EXPECT_TRUE(mails[0].header("X-Test-TLS").starts_with("TLSv1."))
        << "TLS: " << mails[0].header("X-Test-TLS");
    EXPECT_EQ(mails[0].header("X-Test-Login"), kUser);
  }
  // A refused send fails before DATA, so no mail can still be on its way; the pause only
  // guards against a relay that wrongly accepted it anyway.
  void expectNothingArrived() {
    std::this_thread::sleep_for(300ms);
    EXPECT_TRUE(server_->mails().empty());
  }

  std::unique_ptr<SmtpServer> server_;
};

TEST_F(SmtpTls, StartTlsWithTheRightCredentialsDelivers) {
  auto sent = send(options(), "over TLS");
  ASSERT_TRUE(sent) << sent.error().describe();
  expectDeliveredOverTlsAs("over TLS");
}

// requireTls=false allows plaintext only for a relay without credentials: with them, the
// mailer still insists on STARTTLS, which this relay offers.
TEST_F(SmtpTls, CredentialsForceTlsEvenWhenTlsIsOptional) {
  auto o = options();
  o.requireTls = false;
  auto sent = send(o, "still TLS");
  ASSERT_TRUE(sent) << sent.error().describe();
  expectDeliveredOverTlsAs("still TLS");
}

// The failure is the certificate check, which comes before AUTH: the password never reaches
// a server we could not verify.
TEST_F(SmtpTls, AnUntrustedCertificateGetsNoCredentialsAndNoMail) {
  auto o = options();
  o.caFile.clear();  // the default CAs do not know this self-signed certificate
  auto sent = send(o, "untrusted");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(sent.error().code, kMailUnavailable);
  EXPECT_NE(sent.error().message.find("certificate"), std::string::npos) << sent.error().message;
  expectNothingArrived();
}

// The right CA is not enough: the certificate must also name the host we connect to (it
// names only 127.0.0.1; curl resolves "localhost" to the loopback addresses by itself).
TEST_F(SmtpTls, ACertificateForAnotherHostNameIsRefused) {
  auto o = options();
  o.url = "smtp://localhost:" + std::to_string(server_->port());
  auto sent = send(o, "wrong name");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, kMailUnavailable);
  EXPECT_NE(sent.error().message.find("localhost"), std::string::npos) << sent.error().message;
  EXPECT_NE(sent.error().message.find("certificate"), std::string::npos) << sent.error().message;
  expectNothingArrived();
}

// makeSmtpMailer refuses a CA file it cannot read; one that goes away later is an error at
// send time, not a silent fall-back to the default CAs.
TEST_F(SmtpTls, ACaFileGoneAtSendTimeFailsTheSend) {
  testing::TempDir folder;
  const auto copy = folder.path() / "ca.pem";
  std::filesystem::copy_file(server_->caFile(), copy);
  auto o = options();
  o.caFile = copy.string();
  auto mailer = makeSmtpMailer(o);
  ASSERT_TRUE(mailer) << mailer.error().describe();
  std::filesystem::remove(copy);
  auto sent = (*mailer)->send(message("CA file gone"));
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, kMailUnavailable);
  EXPECT_NE(sent.error().message.find("CA cert"), std::string::npos) << sent.error().message;
  expectNothingArrived();
}

TEST_F(SmtpTls, AWrongPasswordIsRefused) {
  auto o = options();
  o.password = "not the password";
  const auto start = std::chrono::steady_clock::now();
  auto sent = send(o, "wrong password");
  ASSERT_FALSE(sent);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s) << "refused at once, not timed out";
  EXPECT_EQ(sent.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(sent.error().code, kMailUnavailable);
  // curl's words for the relay's 535.
  EXPECT_NE(sent.error().message.find("Login denied"), std::string::npos) << sent.error().message;
  EXPECT_EQ(sent.error().describe().find("not the password"), std::string::npos)
      << "the password never appears in the error";
  expectNothingArrived();
}

TEST_F(SmtpTls, NoCredentialsAgainstARelayThatRequiresThemIsRefused) {
  auto o = options();
  o.username.clear();
  o.password.clear();
  auto sent = send(o, "anonymous");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, kMailUnavailable);
  // The relay's "530 Authentication required" answer to MAIL FROM.
  EXPECT_NE(sent.error().message.find("530"), std::string::npos) << sent.error().message;
  expectNothingArrived();
}

}  // namespace
}  // namespace stratus::mail
