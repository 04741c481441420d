// The SMTP mailer against a real SMTP server (aiosmtpd, see testing/smtp_server.h): what
// arrives in its Maildir went through a full SMTP conversation with libcurl.
#include "mail/smtp_mailer.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "common/unique_fd.h"
#include "mail/mail_queue.h"
#include "testing/smtp_server.h"

namespace stratus::mail {
namespace {

using namespace std::chrono_literals;
using testing::SmtpServer;

#define REQUIRE_SMTP_SERVER() \
  if (!SmtpServer::available()) GTEST_SKIP() << SmtpServer::skipReason()

Message sample(std::string subject = "Verify your email") {
  Message m;
  m.from = "Stratus <no-reply@example.com>";
  m.to = "ada@example.org";
  m.subject = std::move(subject);
  m.text = "Welcome.\n\nOpen https://stratus.test/verify?token=abc-DEF_123 to verify.\n";
  m.html =
      "<p>Welcome.</p><p><a href=\"https://stratus.test/verify?token=abc-DEF_123\">"
      "Verify</a></p>";
  return m;
}

MailerPtr plainMailer(const SmtpServer& server, std::string username = "") {
  SmtpOptions options;
  options.url = server.url();
  options.requireTls = false;
  options.username = std::move(username);
  if (!options.username.empty()) options.password = "hunter2";
  options.timeoutMs = 10'000;
  auto mailer = makeSmtpMailer(std::move(options));
  EXPECT_TRUE(mailer.has_value()) << (mailer ? "" : mailer.error().describe());
  return mailer ? std::move(*mailer) : nullptr;
}

TEST(SmtpMailer, DeliversTextAndHtml) {
  REQUIRE_SMTP_SERVER();
  SmtpServer server;
  auto mailer = plainMailer(server);
  ASSERT_TRUE(mailer);
  const Message sent = sample();
  auto status = mailer->send(sent);
  ASSERT_TRUE(status.has_value()) << status.error().describe();

  const auto mails = server.waitForMails(1, 10s);
  ASSERT_EQ(mails.size(), 1u);
  const auto& got = mails[0];
  EXPECT_EQ(got.subject, sent.subject);
  EXPECT_EQ(got.to, sent.to);
  EXPECT_EQ(got.from, sent.from);
  EXPECT_EQ(got.text, sent.text);
  EXPECT_EQ(got.html, sent.html);
  // The envelope (what relays act on) matches the headers.
  EXPECT_EQ(got.header("X-MailFrom"), "no-reply@example.com");
  EXPECT_EQ(got.header("X-RcptTo"), "ada@example.org");
  EXPECT_TRUE(got.header("Message-ID").ends_with("@example.com>")) << got.header("Message-ID");
  EXPECT_FALSE(got.header("Date").empty());
}

TEST(SmtpMailer, NonAsciiSubjectRoundTrips) {
  REQUIRE_SMTP_SERVER();
  SmtpServer server;
  auto mailer = plainMailer(server);
  ASSERT_TRUE(mailer);
  Message sent = sample(
      "V\xC3\xA9rifiez votre adresse \xE2\x9C\x93 \xE2\x80\x94 "
      "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE4\xBB\xB6\xE5\x90\x8D "
      "and enough more text to need several encoded words on folded lines");
  sent.from = "Zo\xC3\xAB <no-reply@example.com>";
  sent.text =
      "Gr\xC3\xBC\xC3\x9F"
      "e \xE2\x9C\x93\n";
  auto status = mailer->send(sent);
  ASSERT_TRUE(status.has_value()) << status.error().describe();
  const auto mails = server.waitForMails(1, 10s);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].subject, sent.subject);
  EXPECT_EQ(mails[0].from, sent.from);
  EXPECT_EQ(mails[0].text, sent.text);
}

// The server offers no STARTTLS. With requireTls the mailer must fail rather than hand the
// mail over in plaintext: this is the test that we never fall back.
TEST(SmtpMailer, RequiredTlsIsNeverDowngraded) {
  REQUIRE_SMTP_SERVER();
  SmtpServer server;
  SmtpOptions options;
  options.url = server.url();
  options.requireTls = true;
  auto mailer = makeSmtpMailer(options);
  ASSERT_TRUE(mailer.has_value());
  auto status = (*mailer)->send(sample());
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(status.error().code, kMailUnavailable);
  EXPECT_NE(status.error().message.find("127.0.0.1"), std::string::npos);
  EXPECT_NE(status.error().message.find("STARTTLS"), std::string::npos) << status.error().message;
  std::this_thread::sleep_for(200ms);
  EXPECT_TRUE(server.mails().empty());
}

// Credentials imply TLS even when the operator allowed plaintext: a password never goes
// over an unencrypted connection.
TEST(SmtpMailer, CredentialsAreNeverSentWithoutTls) {
  REQUIRE_SMTP_SERVER();
  SmtpServer server;
  auto mailer = plainMailer(server, "bob");
  ASSERT_TRUE(mailer);
  auto status = mailer->send(sample());
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, kMailUnavailable);
  EXPECT_NE(status.error().message.find("STARTTLS"), std::string::npos) << status.error().message;
  EXPECT_EQ(status.error().message.find("hunter2"), std::string::npos);
  EXPECT_TRUE(server.mails().empty());
}

TEST(SmtpMailer, AClosedPortFailsQuickly) {
  // A bound socket that does not listen: connections to it are refused, and no other
  // process can take the port while the test runs.
  UniqueFd holder(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  ASSERT_TRUE(holder.valid());
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  ASSERT_EQ(::bind(holder.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::getsockname(holder.get(), reinterpret_cast<sockaddr*>(&address), &size), 0);

  SmtpOptions options;
  options.url = "smtp://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  options.requireTls = false;
  auto mailer = makeSmtpMailer(options);
  ASSERT_TRUE(mailer.has_value());
  const auto start = std::chrono::steady_clock::now();
  auto status = (*mailer)->send(sample());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(status.error().code, kMailUnavailable);
}

TEST(SmtpMailer, SendsFromSeveralThreadsAtOnce) {
  REQUIRE_SMTP_SERVER();
  SmtpServer server;
  auto mailer = plainMailer(server);
  ASSERT_TRUE(mailer);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 3; ++i) {
        if (!mailer->send(sample("thread " + std::to_string(t) + " mail " + std::to_string(i)))) {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(server.waitForMails(12, 10s).size(), 12u);
}

TEST(MailQueueOverSmtp, DeliversTwentyMessages) {
  REQUIRE_SMTP_SERVER();
  SmtpServer server;
  auto mailer = plainMailer(server);
  ASSERT_TRUE(mailer);
  std::set<std::string> expected;
  {
    MailQueue queue(*mailer);
    for (int i = 0; i < 20; ++i) {
      const std::string subject = "queued mail " + std::to_string(i);
      expected.insert(subject);
      ASSERT_TRUE(queue.enqueue(sample(subject)));
    }
    ASSERT_TRUE(queue.flush(60s));
  }
  const auto mails = server.waitForMails(20, 10s);
  std::set<std::string> subjects;
  for (const auto& got : mails) subjects.insert(got.subject);
  EXPECT_EQ(subjects, expected);
  EXPECT_EQ(mails.size(), 20u);
}

}  // namespace
}  // namespace stratus::mail
