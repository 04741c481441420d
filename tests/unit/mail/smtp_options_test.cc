#include <gtest/gtest.h>

#include <fstream>

#include "mail/smtp_mailer.h"
#include "testing/temp_dir.h"

namespace stratus::mail {
namespace {

SmtpOptions withUrl(std::string url) {
  SmtpOptions options;
  options.url = std::move(url);
  return options;
}

TEST(SmtpOptions, AcceptsSmtpAndSmtpsUrls) {
  for (const char* url :
       {"smtp://mail.example.com:587", "smtps://mail.example.com", "smtp://127.0.0.1:2525",
        "smtp://[::1]:25", "smtp://mail.example.com:587/client.example.com"}) {
    auto mailer = makeSmtpMailer(withUrl(url));
    ASSERT_TRUE(mailer.has_value()) << url << ": " << mailer.error().describe();
    EXPECT_EQ((*mailer)->kind(), "smtp");
  }
}

TEST(SmtpOptions, RefusesOtherUrls) {
  for (const char* url :
       {"", "mail.example.com:587", "http://mail.example.com", "smtp://",
        "smtp://mail.example.com:587?x=1", "smtp://mail.example.com#frag", "file:///etc/passwd"}) {
    auto mailer = makeSmtpMailer(withUrl(url));
    ASSERT_FALSE(mailer.has_value()) << url;
    EXPECT_EQ(mailer.error().kind, ErrorKind::invalid_argument) << url;
    EXPECT_EQ(mailer.error().code, kInvalidSmtpOptions) << url;
  }
}

TEST(SmtpOptions, RefusesCredentialsInTheUrlWithoutRepeatingThem) {
  auto mailer = makeSmtpMailer(withUrl("smtp://bob:hunter2@mail.example.com:587"));
  ASSERT_FALSE(mailer.has_value());
  EXPECT_EQ(mailer.error().message.find("hunter2"), std::string::npos);
  EXPECT_EQ(mailer.error().message.find("bob"), std::string::npos);
}

TEST(SmtpOptions, RefusesANonPositiveTimeout) {
  SmtpOptions options = withUrl("smtp://mail.example.com:587");
  options.timeoutMs = 0;
  EXPECT_FALSE(makeSmtpMailer(options).has_value());
}

// The file is read by the TLS library at send time; here only whether it can be read.
TEST(SmtpOptions, AcceptsAReadableCaFile) {
  testing::TempDir folder;
  const auto file = folder.path() / "ca.pem";
  std::ofstream(file) << "-----BEGIN CERTIFICATE-----\n";
  SmtpOptions options = withUrl("smtp://mail.example.com:587");
  options.caFile = file.string();
  EXPECT_TRUE(makeSmtpMailer(options).has_value());
}

TEST(SmtpOptions, RefusesACaFileThatCannotBeRead) {
  testing::TempDir folder;
  for (const auto& path : {folder.path() / "missing.pem", folder.path()}) {
    SmtpOptions options = withUrl("smtp://mail.example.com:587");
    options.caFile = path.string();
    auto mailer = makeSmtpMailer(options);
    ASSERT_FALSE(mailer.has_value()) << path;
    EXPECT_EQ(mailer.error().kind, ErrorKind::invalid_argument);
    EXPECT_EQ(mailer.error().code, kInvalidSmtpOptions);
    EXPECT_NE(mailer.error().message.find("CA file"), std::string::npos) << mailer.error().message;
  }
}

TEST(SmtpMailer, RefusesABadMessageBeforeConnecting) {
  // Port 9 on loopback: nothing listens, so a connection attempt would fail as unavailable.
  auto mailer = makeSmtpMailer(withUrl("smtp://127.0.0.1:9"));
  ASSERT_TRUE(mailer.has_value());
  Message m{"no-reply@example.com", "ada@example.org\r\nRCPT TO:<eve@example.net>", "Hi", "x", ""};
  auto sent = (*mailer)->send(m);
  ASSERT_FALSE(sent.has_value());
  EXPECT_EQ(sent.error().kind, ErrorKind::invalid_argument);
}

}  // namespace
}  // namespace stratus::mail
