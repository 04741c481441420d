// The log mailer writes real files: permissions, atomic naming and a parseable message.
#include "mail/log_mailer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "testing/smtp_server.h"  // its MIME reader
#include "testing/temp_dir.h"

namespace stratus::mail {
namespace {

Message sample() {
  Message m;
  m.from = "Stratus <no-reply@example.com>";
  m.to = "ada@example.org";
  m.subject = "Reset your password \xE2\x9C\x93";
  m.text = "Open https://stratus.test/reset?token=abc\n";
  m.html = "<p><a href=\"https://stratus.test/reset?token=abc\">Reset</a></p>";
  return m;
}

std::vector<std::filesystem::path> filesIn(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

unsigned modeOf(const std::filesystem::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

TEST(LogMailer, WritesAParseableEmlReadableOnlyByItsOwner) {
  testing::TempDir temp;
  const auto outbox = temp.path() / "data" / "outbox";
  auto mailer = makeLogMailer(outbox);
  ASSERT_TRUE(mailer.has_value()) << mailer.error().describe();
  EXPECT_EQ((*mailer)->kind(), "log");
  EXPECT_EQ(modeOf(outbox), 0700u);

  const Message sent = sample();
  ASSERT_TRUE((*mailer)->send(sent).has_value());
  const auto files = filesIn(outbox);
  ASSERT_EQ(files.size(), 1u);  // and no temporary file left behind
  EXPECT_EQ(files[0].extension(), ".eml");
  EXPECT_EQ(modeOf(files[0]), 0600u);

  std::ifstream in(files[0], std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  const auto parsed = testing::mime::parseMail(content.str());
  EXPECT_EQ(parsed.subject, sent.subject);
  EXPECT_EQ(parsed.to, sent.to);
  EXPECT_EQ(parsed.from, sent.from);
  EXPECT_EQ(parsed.text, sent.text);
  EXPECT_EQ(parsed.html, sent.html);
  EXPECT_NE(parsed.raw.find("\r\nMIME-Version: 1.0\r\n"), std::string::npos);
}

TEST(LogMailer, ConcurrentSendsGetTheirOwnFiles) {
  testing::TempDir temp;
  auto mailer = makeLogMailer(temp.path() / "outbox/");
  ASSERT_TRUE(mailer.has_value());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) EXPECT_TRUE((*mailer)->send(sample()).has_value());
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(filesIn(temp.path() / "outbox").size(), 20u);
}

TEST(LogMailer, RefusesABadMessageAndWritesNothing) {
  testing::TempDir temp;
  auto mailer = makeLogMailer(temp.path());
  ASSERT_TRUE(mailer.has_value());
  Message m = sample();
  m.to = "ada@example.org\nBcc: eve@example.net";
  auto sent = (*mailer)->send(m);
  ASSERT_FALSE(sent.has_value());
  EXPECT_EQ(sent.error().kind, ErrorKind::invalid_argument);
  EXPECT_TRUE(filesIn(temp.path()).empty());
}

TEST(LogMailer, AnOutboxThatIsAFileIsAnError) {
  testing::TempDir temp;
  std::ofstream(temp.path() / "file") << "x";
  EXPECT_FALSE(makeLogMailer(temp.path() / "file").has_value());
  EXPECT_FALSE(makeLogMailer("").has_value());
}

}  // namespace
}  // namespace stratus::mail
