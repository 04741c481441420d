#include "http/multipart.h"

#include <gtest/gtest.h>

#include <random>

namespace stratus::http {
namespace {

using namespace std::string_literals;

constexpr std::string_view kType = "multipart/form-data; boundary=XyZ";

std::string expectError(std::string_view contentType, std::string_view body,
                        const MultipartLimits& limits = {}) {
  auto parts = parseMultipart(contentType, body, limits);
  if (parts.has_value()) {
    ADD_FAILURE() << "parsed, expected an error: " << body;
    return {};
  }
  EXPECT_EQ(parts.error().code, "malformed_multipart");
  EXPECT_EQ(parts.error().kind, ErrorKind::invalid_argument);
  return parts.error().message;
}

TEST(ParseMultipart, SeedUploadForm) {
  // What a browser sends for POST /api/user/functions/new.
  std::string body =
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"name\"\r\n"
      "\r\n"
      "hello\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"functionFile\"; filename=\"a b.py\"\r\n"
      "Content-Type: text/x-python\r\n"
      "\r\n"
      "print('hi')\r\n\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"empty\"\r\n"
      "\r\n"
      "\r\n"
      "--XyZ--\r\n";
  auto parts = parseMultipart(kType, body);
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].name, "name");
  EXPECT_EQ((*parts)[0].data, "hello");
  EXPECT_EQ((*parts)[0].filename, "");
  EXPECT_EQ((*parts)[0].contentType, "");
  EXPECT_EQ((*parts)[1].name, "functionFile");
  EXPECT_EQ((*parts)[1].filename, "a b.py");
  EXPECT_EQ((*parts)[1].contentType, "text/x-python");
  EXPECT_EQ((*parts)[1].data, "print('hi')\r\n");
  EXPECT_EQ((*parts)[2].data, "");
  EXPECT_EQ(findPart(*parts, "functionFile"), &(*parts)[1]);
  EXPECT_EQ(findPart(*parts, "nope"), nullptr);
}

TEST(ParseMultipart, QuotedBoundaryPreambleEpilogueAndPadding) {
  std::string body =
      "This is the preamble.\r\n"
      "--a b:c  \t\r\n"
      "content-disposition: FORM-DATA; name=x\r\n"
      "X-Other: ignored\r\n"
      "\r\n"
      "1\r\n"
      "--a b:c--\r\n"
      "epilogue, ignored --a b:c\r\n";
  auto parts = parseMultipart("multipart/form-data; boundary=\"a b:c\"", body);
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].name, "x");
  EXPECT_EQ((*parts)[0].data, "1");
}

TEST(ParseMultipart, BinaryDataWithLookalikeBoundaries) {
  std::string data("\0\r\n--XY\r\n-XyZ\r--XyZ-", 20);
  data += std::string("\xff\xfe", 2);
  std::string body = "--XyZ\r\nContent-Disposition: form-data; name=f; filename=b.bin\r\n\r\n" +
                     data + "\r\n--XyZ--";
  auto parts = parseMultipart(kType, body);
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].data, data);
}

TEST(ParseMultipart, ExtendedFilenameWins) {
  std::string body =
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=f; filename=\"fallback.py\"; "
      "filename*=UTF-8''%C3%A9t%C3%A9.py\r\n"
      "\r\n"
      "x\r\n--XyZ--";
  auto parts = parseMultipart(kType, body);
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  EXPECT_EQ((*parts)[0].filename, "\xC3\xA9t\xC3\xA9.py");
}

TEST(ParseMultipart, FoldedHeader) {
  std::string body =
      "--XyZ\r\n"
      "Content-Disposition: form-data;\r\n"
      " name=\"folded\"\r\n"
      "\r\n"
      "v\r\n--XyZ--";
  auto parts = parseMultipart(kType, body);
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  EXPECT_EQ((*parts)[0].name, "folded");
}

TEST(ParseMultipart, NoPartsIsEmpty) {
  auto parts = parseMultipart(kType, "--XyZ--\r\n");
  ASSERT_TRUE(parts.has_value());
  EXPECT_TRUE(parts->empty());
}

TEST(ParseMultipart, RejectsBadContentType) {
  EXPECT_NE(expectError("multipart/form-data", "--x--").find("no boundary"), std::string::npos);
  EXPECT_NE(expectError("application/json; boundary=x", "--x--").find("not multipart/form-data"),
            std::string::npos);
  expectError("multipart/form-data; boundary=\"\"", "----");
  expectError("multipart/form-data; boundary=" + std::string(71, 'a'), "--");
  expectError("not a content type", "");
}

TEST(ParseMultipart, RejectsStructuralProblems) {
  const std::string head = "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n";
  EXPECT_NE(expectError(kType, "no boundary here").find("no opening boundary"), std::string::npos);
  EXPECT_NE(expectError(kType, head + "data without end").find("not ended by a boundary"),
            std::string::npos);
  EXPECT_NE(expectError(kType, head + "x\r\n--XyZ").find("truncated"), std::string::npos);
  EXPECT_NE(expectError(kType, head + "x\r\n--XyZjunk\r\n").find("after a boundary"),
            std::string::npos);
  EXPECT_NE(expectError(kType, "--XyZ\nContent-Disposition: form-data; name=a\n\nx\n--XyZ--")
                .find("after a boundary"),
            std::string::npos);  // bare LF is not CRLF
  EXPECT_NE(expectError(kType, "--XyZ\r\nContent-Disposition: form-data; name=a\r\nx")
                .find("not ended by an empty line"),
            std::string::npos);
}

TEST(ParseMultipart, RejectsPartsWithoutNames) {
  EXPECT_NE(expectError(kType, "--XyZ\r\n\r\nx\r\n--XyZ--").find("no Content-Disposition"),
            std::string::npos);
  EXPECT_NE(expectError(kType, "--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--")
                .find("no Content-Disposition"),
            std::string::npos);
  EXPECT_NE(
      expectError(kType, "--XyZ\r\nContent-Disposition: form-data; filename=a\r\n\r\nx\r\n--XyZ--")
          .find("has no name"),
      std::string::npos);
  EXPECT_NE(
      expectError(kType, "--XyZ\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nx\r\n--XyZ--")
          .find("has no name"),
      std::string::npos);
  EXPECT_NE(
      expectError(kType, "--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--XyZ--")
          .find("not form-data"),
      std::string::npos);
}

TEST(ParseMultipart, RejectsBadPartHeaders) {
  expectError(kType, "--XyZ\r\nno colon\r\n\r\nx\r\n--XyZ--");
  expectError(kType, "--XyZ\r\n continuation first\r\n\r\nx\r\n--XyZ--");
  expectError(kType,
              "--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
              "Content-Disposition: form-data; name=b\r\n\r\nx\r\n--XyZ--");
  expectError(kType, "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--XyZ--");
  expectError(kType, "--XyZ\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nx\r\n--XyZ--");
  expectError(kType,
              "--XyZ\r\nContent-Disposition: form-data; name=a; filename*=latin1''x\r\n\r\nx\r\n"
              "--XyZ--");
}

TEST(ParseMultipart, EnforcesLimits) {
  std::string body;
  for (int i = 0; i < 3; ++i) {
    body += "--XyZ\r\nContent-Disposition: form-data; name=p" + std::to_string(i) + "\r\n\r\nv\r\n";
  }
  body += "--XyZ--";
  EXPECT_TRUE(parseMultipart(kType, body, {.maxParts = 3}).has_value());
  EXPECT_NE(expectError(kType, body, {.maxParts = 2}).find("more than 2 parts"), std::string::npos);

  std::string bigHeaders =
      "--XyZ\r\nContent-Disposition: form-data; name=a\r\nX-Pad: " + std::string(200, 'p') +
      "\r\n\r\nv\r\n--XyZ--";
  EXPECT_TRUE(parseMultipart(kType, bigHeaders, {.maxHeaderBytes = 300}).has_value());
  EXPECT_NE(expectError(kType, bigHeaders, {.maxHeaderBytes = 100}).find("exceed 100 bytes"),
            std::string::npos);
}

// Fuzz-style: random garbage, and random mutations of a valid body, must never crash (run
// under -DSTRATUS_SANITIZE=ON to catch UB); the result just has to be one or the other.
TEST(ParseMultipart, RandomGarbageNeverCrashes) {
  std::mt19937 random(12345);
  const std::string alphabet = "-XyZ\r\n:;=\" \\abcform-dataContent-Disposition\0\xff"s;
  for (int round = 0; round < 5000; ++round) {
    std::string body(random() % 200, '\0');
    for (char& c : body) c = alphabet[random() % alphabet.size()];
    if (round % 3 == 0) body = "--XyZ\r\n" + body;
    auto parts = parseMultipart(kType, body, {.maxParts = 8, .maxHeaderBytes = 64});
    if (parts) {
      for (const Part& part : *parts) EXPECT_FALSE(part.name.empty());
    }
  }
}

TEST(ParseMultipart, RandomMutationsNeverCrash) {
  const std::string valid =
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\"; filename=\"x.py\"\r\n"
      "Content-Type: text/plain\r\n\r\nhello\r\n--XyZ\r\n"
      "Content-Disposition: form-data; name=b\r\n\r\n\r\n--XyZ--\r\n";
  std::mt19937 random(777);
  for (int round = 0; round < 20000; ++round) {
    std::string body = valid;
    int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits; ++e) {
      std::size_t at = random() % (body.size() + 1);
      switch (random() % 3) {
        case 0:
          if (at < body.size()) body.erase(at, 1 + random() % 8);
          break;
        case 1:
          body.insert(at, 1, static_cast<char>(random() % 256));
          break;
        case 2:
          body = body.substr(0, at);
          break;
      }
    }
    (void)parseMultipart(kType, body);
    (void)parseMultipart("multipart/form-data; boundary=" + body.substr(0, random() % 80), body);
  }
}

}  // namespace
}  // namespace stratus::http
