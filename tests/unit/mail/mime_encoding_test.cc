#include "mail/mime_encoding.h"

#include <gtest/gtest.h>

#include <sstream>

namespace stratus::mail {
namespace {

std::size_t longestLine(const std::string& text) {
  std::size_t longest = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.ends_with('\r')) line.pop_back();
    longest = std::max(longest, line.size());
  }
  return longest;
}

TEST(QuotedPrintable, KeepsPlainTextAndEncodesTheRest) {
  EXPECT_EQ(encodeQuotedPrintable(""), "");
  EXPECT_EQ(encodeQuotedPrintable("Hello, world!"), "Hello, world!");
  EXPECT_EQ(encodeQuotedPrintable("a=b"), "a=3Db");
  EXPECT_EQ(encodeQuotedPrintable("caf\xC3\xA9"), "caf=C3=A9");
  EXPECT_EQ(encodeQuotedPrintable("tab\there"), "tab\there");
  EXPECT_EQ(encodeQuotedPrintable(std::string("nul\0!", 5)), "nul=00!");
}

TEST(QuotedPrintable, EveryLineBreakBecomesCrlf) {
  EXPECT_EQ(encodeQuotedPrintable("a\nb\r\nc\rd\n"), "a\r\nb\r\nc\r\nd\r\n");
  EXPECT_EQ(encodeQuotedPrintable("\n\n"), "\r\n\r\n");
}

TEST(QuotedPrintable, EncodesWhiteSpaceAtTheEndOfALine) {
  EXPECT_EQ(encodeQuotedPrintable("trailing \nnext\t"), "trailing=20\r\nnext=09");
  EXPECT_EQ(encodeQuotedPrintable("in between"), "in between");
}

TEST(QuotedPrintable, EncodesALeadingDotAndFromLine) {
  EXPECT_EQ(encodeQuotedPrintable(".\n..x"), "=2E\r\n=2E.x");
  EXPECT_EQ(encodeQuotedPrintable("From me\nFromage\na From b"),
            "=46rom me\r\nFromage\r\na From b");
}

TEST(QuotedPrintable, SoftBreaksKeepLinesWithin76) {
  const std::string line(100, 'a');
  EXPECT_EQ(encodeQuotedPrintable(line), std::string(75, 'a') + "=\r\n" + std::string(25, 'a'));

  // An escape is never split by a soft break.
  const std::string accents = std::string(74, 'a') + "\xC3\xA9";
  EXPECT_EQ(encodeQuotedPrintable(accents), std::string(74, 'a') + "=\r\n=C3=A9");

  // A dot that lands at the start of a continuation line is encoded too.
  EXPECT_EQ(encodeQuotedPrintable(std::string(75, 'a') + ".b"), std::string(75, 'a') + "=\r\n=2Eb");

  std::string mixed;
  for (int i = 0; i < 500; ++i) mixed += (i % 7 == 0) ? "\xE2\x9C\x93 " : "word= ";
  EXPECT_LE(longestLine(encodeQuotedPrintable(mixed)), 76u);
}

TEST(Base64Lines, FoldsAt76Characters) {
  EXPECT_EQ(encodeBase64Lines(""), "");
  EXPECT_EQ(encodeBase64Lines("hello"), "aGVsbG8=\r\n");
  EXPECT_EQ(encodeBase64Lines("hi"), "aGk=\r\n");
  EXPECT_EQ(encodeBase64Lines("abc"), "YWJj\r\n");
  const std::string encoded = encodeBase64Lines(std::string(57 * 2 + 1, 'x'));
  EXPECT_EQ(encoded.size(), 76 + 2 + 76 + 2 + 4 + 2);
  EXPECT_EQ(longestLine(encoded), 76u);
}

TEST(CanonicalLineBreaks, MakesEveryBreakCrlf) {
  EXPECT_EQ(canonicalLineBreaks("a\nb\r\nc\rd\r"), "a\r\nb\r\nc\r\nd\r\n");
  EXPECT_EQ(canonicalLineBreaks("\r\r\n\n"), "\r\n\r\n\r\n");
  EXPECT_EQ(canonicalLineBreaks("none"), "none");
}

TEST(HeaderText, PlainShortTextIsKept) {
  EXPECT_EQ(encodeHeaderText("Subject", "Verify your email"), "Verify your email");
  EXPECT_EQ(encodeHeaderText("Subject", ""), "");
}

TEST(HeaderText, NonAsciiBecomesEncodedWords) {
  EXPECT_EQ(encodeHeaderText("Subject", "\xC3\xA9"), "=?UTF-8?B?w6k=?=");
  EXPECT_EQ(encodeHeaderText("Subject", "V\xC3\xA9rifiez votre adresse \xE2\x9C\x93"),
            "=?UTF-8?B?VsOpcmlmaWV6IHZvdHJlIGFkcmVzc2Ug4pyT?=");
}

TEST(HeaderText, ControlCharactersAndEncodedWordLookalikesAreEncoded) {
  EXPECT_EQ(encodeHeaderText("Subject", "a\tb"), "=?UTF-8?B?YQli?=");
  EXPECT_EQ(encodeHeaderText("Subject", "=?x?="), "=?UTF-8?B?PT94Pz0=?=");
}

TEST(HeaderText, LongPlainTextFoldsAtSpaces) {
  std::string subject;
  for (int i = 0; i < 30; ++i) subject += "word" + std::to_string(i) + " ";
  subject.pop_back();
  const std::string folded = encodeHeaderText("Subject", subject);
  EXPECT_NE(folded.find("\r\n "), std::string::npos);
  EXPECT_LE(longestLine("Subject: " + folded), 78u);
  std::string unfolded = folded;
  for (std::size_t at; (at = unfolded.find("\r\n")) != std::string::npos;) unfolded.erase(at, 2);
  EXPECT_EQ(unfolded, subject);
}

TEST(HeaderText, LongNonAsciiTextFoldsIntoWordsOfWholeCharacters) {
  std::string subject;
  for (int i = 0; i < 40; ++i) subject += "\xE2\x9C\x93\xC3\xA9";  // 3 + 2 bytes
  const std::string encoded = encodeHeaderText("Subject", subject);
  EXPECT_LE(longestLine("Subject: " + encoded), 78u);
  std::istringstream words(encoded);
  std::size_t count = 0;
  for (std::string word; words >> word; ++count) {
    EXPECT_TRUE(word.starts_with("=?UTF-8?B?") && word.ends_with("?=")) << word;
    EXPECT_LE(word.size(), 75u);
  }
  EXPECT_GT(count, 2u);
}

TEST(HeaderText, ALongWordWithoutSpacesIsEncodedRatherThanOverlong) {
  const std::string word(200, 'x');
  const std::string encoded = encodeHeaderText("Subject", word);
  EXPECT_TRUE(encoded.starts_with("=?UTF-8?B?"));
  EXPECT_LE(longestLine("Subject: " + encoded), 78u);
}

TEST(Date, IsRfc5322InUtc) {
  EXPECT_EQ(formatDate(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(formatDate(1700000000), "Tue, 14 Nov 2023 22:13:20 +0000");
  EXPECT_EQ(formatDate(951782400), "Tue, 29 Feb 2000 00:00:00 +0000");
  EXPECT_EQ(formatDate(-1), "Wed, 31 Dec 1969 23:59:59 +0000");
}

}  // namespace
}  // namespace stratus::mail
