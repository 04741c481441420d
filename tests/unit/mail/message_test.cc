#include "mail/message.h"

#include <gtest/gtest.h>

#include <sstream>

#include "common/crypto.h"
#include "testing/smtp_server.h"  // its small MIME reader, to check round trips

namespace stratus::mail {
namespace {

Message sample() {
  Message m;
  m.from = "Stratus <no-reply@example.com>";
  m.to = "ada@example.org";
  m.subject = "Verify your email";
  m.text = "Hello\nhttps://x.test/verify?token=abc\n";
  m.html = "<p>Hello</p>";
  return m;
}

std::string render(const Message& m) {
  auto mime = formatMime(m, "id1@example.com", 0);
  EXPECT_TRUE(mime.has_value()) << (mime ? "" : mime.error().describe());
  return mime.value_or("");
}

TEST(FormatMime, WritesMultipartAlternative) {
  EXPECT_EQ(render(sample()),
            "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"
            "From: Stratus <no-reply@example.com>\r\n"
            "To: ada@example.org\r\n"
            "Subject: Verify your email\r\n"
            "Message-ID: <id1@example.com>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: multipart/alternative; boundary=\"=_stratus_alternative\"\r\n"
            "\r\n"
            "--=_stratus_alternative\r\n"
            "Content-Type: text/plain; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n"
            "\r\n"
            "Hello\r\n"
            "https://x.test/verify?token=3Dabc\r\n"
            "\r\n"
            "--=_stratus_alternative\r\n"
            "Content-Type: text/html; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n"
            "\r\n"
            "<p>Hello</p>\r\n"
            "--=_stratus_alternative--\r\n");
}

TEST(FormatMime, WithoutHtmlWritesOneTextPart) {
  Message m = sample();
  m.html.clear();
  m.from = "no-reply@example.com";
  m.text = "Hi";
  EXPECT_EQ(render(m),
            "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"
            "From: no-reply@example.com\r\n"
            "To: ada@example.org\r\n"
            "Subject: Verify your email\r\n"
            "Message-ID: <id1@example.com>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n"
            "\r\n"
            "Hi\r\n");
}

TEST(FormatMime, EncodesNonAsciiSubjectAndDisplayName) {
  Message m = sample();
  m.from = "Zo\xC3\xAB M\xC3\xBCller <zoe@example.com>";
  m.subject = "V\xC3\xA9rifiez votre adresse \xE2\x9C\x93";
  const std::string mime = render(m);
  EXPECT_NE(mime.find("\r\nFrom: =?UTF-8?B?Wm/DqyBNw7xsbGVy?= <zoe@example.com>\r\n"),
            std::string::npos);
  EXPECT_NE(mime.find("\r\nSubject: =?UTF-8?B?VsOpcmlmaWV6IHZvdHJlIGFkcmVzc2Ug4pyT?=\r\n"),
            std::string::npos);
  const auto parsed = testing::mime::parseMail(mime);
  EXPECT_EQ(parsed.subject, m.subject);
  EXPECT_EQ(parsed.from, m.from);
}

TEST(FormatMime, QuotesDisplayNamesWithSpecials) {
  Message m = sample();
  m.from = "Stratus, Inc. <no-reply@example.com>";
  EXPECT_NE(render(m).find("\r\nFrom: \"Stratus, Inc.\" <no-reply@example.com>\r\n"),
            std::string::npos);
  m.from = "\"Say \\\"hi\\\"\" <no-reply@example.com>";
  EXPECT_NE(render(m).find("\r\nFrom: \"Say \\\"hi\\\"\" <no-reply@example.com>\r\n"),
            std::string::npos);
}

TEST(FormatMime, BodiesRoundTripThroughAMimeReader) {
  Message m = sample();
  m.text = "Line one \n.\n..leading dots\nFrom the start\n" + std::string(300, 'x') +
           "\nequals = signs\ncaf\xC3\xA9 \xE2\x9C\x93\n\ttab\n";
  m.html = "<a href=\"https://x.test/reset?token=a-b_c\">" + std::string(200, 'y') + "</a>";
  const auto parsed = testing::mime::parseMail(render(m));
  EXPECT_EQ(parsed.text, m.text);
  EXPECT_EQ(parsed.html, m.html);
  EXPECT_EQ(parsed.to, m.to);
}

TEST(FormatMime, MostlyNonAsciiBodiesGoAsBase64) {
  Message m = sample();
  // "Japanese text" twice, in Japanese, on two lines: nearly all bytes are non-ASCII.
  m.text =
      "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE6\x96\x87\xE7\xAB\xA0\n"
      "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE6\x96\x87\xE7\xAB\xA0\n";
  m.html = "<p>caf\xC3\xA9</p>";  // mostly ASCII: stays quoted-printable
  const std::string mime = render(m);
  EXPECT_NE(mime.find("Content-Type: text/plain; charset=UTF-8\r\n"
                      "Content-Transfer-Encoding: base64\r\n\r\n"
                      "5pel5pys6Kqe44Gu5paH56ugDQrml6XmnKzoqp7jga7mlofnq6ANCg==\r\n"),
            std::string::npos)
      << mime;
  EXPECT_NE(mime.find("Content-Transfer-Encoding: quoted-printable\r\n\r\n<p>caf=C3=A9</p>"),
            std::string::npos);
  const auto parsed = testing::mime::parseMail(mime);
  EXPECT_EQ(parsed.text, m.text);
  EXPECT_EQ(parsed.html, m.html);
}

TEST(FormatMime, NoLineIsLongerThanTheLimits) {
  Message m = sample();
  m.text = std::string(5000, 'a') + "\n" + std::string(3000, '\xE2');
  m.html = std::string(2000, '<');
  std::istringstream lines(render(m));
  for (std::string line; std::getline(lines, line);) {
    ASSERT_TRUE(line.ends_with('\r')) << "bare LF";
    EXPECT_LE(line.size() - 1, 76u) << line;
  }
}

TEST(FormatMime, ReplacesBytesThatAreNotUtf8) {
  Message m = sample();
  m.html.clear();
  m.text = "bad \xFF byte";
  const auto parsed = testing::mime::parseMail(render(m));
  EXPECT_EQ(parsed.text, "bad \xEF\xBF\xBD byte\n");
}

TEST(FormatMime, RefusesHeaderInjection) {
  auto refused = [](Message m, std::string_view code) {
    auto mime = formatMime(m, "id1@example.com", 0);
    ASSERT_FALSE(mime.has_value());
    EXPECT_EQ(mime.error().kind, ErrorKind::invalid_argument);
    EXPECT_EQ(mime.error().code, code);
    EXPECT_FALSE(validateMessage(m).has_value());
  };
  Message m = sample();
  m.to = "ada@example.org\r\nBcc: eve@example.net";
  refused(m, kInvalidHeader);
  m = sample();
  m.to = "ada@example.org\nX: y";
  refused(m, kInvalidHeader);
  m = sample();
  m.subject = "Hi\r\nBcc: eve@example.net";
  refused(m, kInvalidHeader);
  m = sample();
  m.subject = "Hi\rthere";
  refused(m, kInvalidHeader);
  m = sample();
  m.from = "Stratus <no-reply@example.com>\r\nBcc: eve@example.net";
  refused(m, kInvalidHeader);
  m = sample();
  m.from = "Stra\ntus <no-reply@example.com>";
  refused(m, kInvalidHeader);
}

TEST(FormatMime, RefusesMalformedAddresses) {
  for (const char* to :
       {"", "ada", "ada@", "@example.org", "a@b@example.org", "ada @example.org",
        "<ada@example.org>", "ada@example.org>", "Ada <ada@example.org>",
        "ada@example.org, eve@example.net", "ad\"a@example.org", "ada@.example.org",
        "ada@example..org", "\xC3\xA9@example.org", "ada@example.org\t"}) {
    Message m = sample();
    m.to = to;
    auto mime = formatMime(m, "id1@example.com", 0);
    ASSERT_FALSE(mime.has_value()) << to;
    EXPECT_EQ(mime.error().kind, ErrorKind::invalid_argument) << to;
  }
  Message m = sample();
  m.to = std::string(65, 'a') + "@example.org";
  EXPECT_FALSE(validateMessage(m).has_value());
  m.to = "a@" + std::string(260, 'b') + ".org";
  EXPECT_FALSE(validateMessage(m).has_value());
}

TEST(FormatMime, RefusesMalformedSenders) {
  for (const char* from : {"Stratus <no-reply@example.com", "Stratus no-reply@example.com>",
                           "Stratus <no reply@example.com>", "St<ra>tus <no-reply@example.com>",
                           "\"Unclosed <no-reply@example.com>", "\"a\"b\" <no-reply@example.com>",
                           "Bell\x07 <no-reply@example.com>", "<>"}) {
    Message m = sample();
    m.from = from;
    EXPECT_FALSE(formatMime(m, "id1@example.com", 0).has_value()) << from;
  }
}

TEST(FormatMime, RefusesAMalformedMessageId) {
  for (const char* id : {"", "no-at", "<id@example.com>", "id@example.com\r\nX: y", "a b@c"}) {
    EXPECT_FALSE(formatMime(sample(), id, 0).has_value()) << id;
  }
}

TEST(AddressOf, ExtractsTheBareAddress) {
  EXPECT_EQ(addressOf("a@example.com").value(), "a@example.com");
  EXPECT_EQ(addressOf("  a@example.com ").value(), "a@example.com");
  EXPECT_EQ(addressOf("<a@example.com>").value(), "a@example.com");
  EXPECT_EQ(addressOf("Stratus <a@example.com>").value(), "a@example.com");
  EXPECT_EQ(addressOf("\"Stratus <team>\" <a@example.com>").value(), "a@example.com");
  EXPECT_EQ(addressOf("Zo\xC3\xAB <a@example.com>").value(), "a@example.com");
}

TEST(AddressOf, RefusesWhatCannotBeAnEnvelopeSender) {
  EXPECT_EQ(addressOf("a@example.com\r\nRCPT TO:<x@y>").error().code, kInvalidHeader);
  EXPECT_EQ(addressOf("Stratus").error().code, kInvalidAddress);
  EXPECT_EQ(addressOf("Stratus <>").error().code, kInvalidAddress);
  EXPECT_EQ(addressOf("Stratus <a@b@example.com>").error().code, kInvalidAddress);
  EXPECT_EQ(addressOf("Stratus <a@example.com> x").error().code, kInvalidAddress);
}

TEST(NewMessageId, UsesTheSenderDomain) {
  initCrypto();
  const std::string id = newMessageId("no-reply@example.com");
  EXPECT_TRUE(id.ends_with("@example.com"));
  EXPECT_EQ(id.size(), 32 + 12u);
  EXPECT_NE(id, newMessageId("no-reply@example.com"));
  EXPECT_TRUE(formatMime(sample(), id, 0).has_value());
}

}  // namespace
}  // namespace stratus::mail
