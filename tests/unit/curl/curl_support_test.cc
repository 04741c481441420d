// The header-line parsing the libcurl callbacks share.
#include "curl/curl_support.h"

#include <gtest/gtest.h>

namespace stratus::curl {
namespace {

TEST(HeaderField, LowerCasesTheNameAndTrimsTheValue) {
  auto field = headerField("Content-Type:  application/json \r\n");
  ASSERT_TRUE(field);
  EXPECT_EQ(field->first, "content-type");
  EXPECT_EQ(field->second, "application/json");
  EXPECT_EQ(headerField("X-Amz-Meta-Sha256:abc\r\n")->second, "abc");
  EXPECT_EQ(headerField("Location: http://h:1/a?b=c\r\n")->second, "http://h:1/a?b=c");
}

TEST(HeaderField, SkipsStatusAndBlankLines) {
  EXPECT_FALSE(headerField("HTTP/1.1 100 Continue\r\n"));
  EXPECT_FALSE(headerField("\r\n"));
  EXPECT_FALSE(headerField("no colon here\r\n"));
  EXPECT_TRUE(isStatusLine("HTTP/2 200\r\n"));
  EXPECT_FALSE(isStatusLine("Http-Ish: x\r\n"));
}

TEST(AppendToString, AppendsWhatCurlHandsOver) {
  std::string body = "a";
  char chunk[] = "bcd";
  EXPECT_EQ(appendToString(chunk, 1, 3, &body), 3u);
  EXPECT_EQ(body, "abcd");
}

}  // namespace
}  // namespace stratus::curl
