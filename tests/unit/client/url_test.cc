#include "client/url.h"

#include <gtest/gtest.h>

namespace stratus::client {
namespace {

TEST(JoinUrl, PutsExactlyOneSlashBetweenBaseAndPath) {
  EXPECT_EQ(joinUrl("http://h:8080", "/api/v1/me"), "http://h:8080/api/v1/me");
  EXPECT_EQ(joinUrl("http://h:8080/", "/api/v1/me"), "http://h:8080/api/v1/me");
  EXPECT_EQ(joinUrl("http://h:8080//", "api/v1/me"), "http://h:8080/api/v1/me");
  EXPECT_EQ(joinUrl("http://h:8080", "api/v1/me"), "http://h:8080/api/v1/me");
}

TEST(JoinUrl, KeepsABasePathPrefix) {
  EXPECT_EQ(joinUrl("https://example.com/stratus/", "/healthz"),
            "https://example.com/stratus/healthz");
}

TEST(JoinUrl, KeepsTheQuery) { EXPECT_EQ(joinUrl("http://h", "/a?limit=5"), "http://h/a?limit=5"); }

TEST(JoinUrl, UsesAnAbsoluteUrlAsIs) {
  EXPECT_EQ(joinUrl("http://h:8080", "http://other:9/x"), "http://other:9/x");
  EXPECT_EQ(joinUrl("http://h:8080", "HTTPS://other/x"), "HTTPS://other/x");
}

TEST(EncodePathSegment, EscapesEverythingButUnreserved) {
  EXPECT_EQ(encodePathSegment("calc-2_x.y~"), "calc-2_x.y~");
  EXPECT_EQ(encodePathSegment("a/b"), "a%2Fb");
  EXPECT_EQ(encodePathSegment("a b?c#d"), "a%20b%3Fc%23d");
  EXPECT_EQ(encodePathSegment(".."), "..");
  EXPECT_EQ(encodePathSegment("\xC3\xA9"), "%C3%A9");
  EXPECT_EQ(encodePathSegment(""), "");
}

TEST(BuildQuery, EncodesNamesAndValuesInOrder) {
  EXPECT_EQ(buildQuery({}), "");
  EXPECT_EQ(buildQuery({{"limit", "20"}}), "?limit=20");
  EXPECT_EQ(buildQuery({{"a", "x y"}, {"b", "1&2=3"}}), "?a=x%20y&b=1%262%3D3");
}

TEST(IsHttpUrl, NeedsSchemeAndHost) {
  EXPECT_TRUE(isHttpUrl("http://127.0.0.1:8080"));
  EXPECT_TRUE(isHttpUrl("HTTPS://example.com/x"));
  EXPECT_FALSE(isHttpUrl("http://"));
  EXPECT_FALSE(isHttpUrl("http:///path"));
  EXPECT_FALSE(isHttpUrl("ftp://x"));
  EXPECT_FALSE(isHttpUrl("127.0.0.1:8080"));
  EXPECT_FALSE(isHttpUrl(""));
}

TEST(RedactUrl, HidesUserInfoOnly) {
  EXPECT_EQ(redactUrl("http://user:secret@h:1/p"), "http://***@h:1/p");
  EXPECT_EQ(redactUrl("http://h:1/p@q"), "http://h:1/p@q");
  EXPECT_EQ(redactUrl("http://h"), "http://h");
  EXPECT_EQ(redactUrl("gopher://u:p@h"), "gopher://***@h");
  EXPECT_EQ(redactUrl("u:p@h"), "u:p@h");
}

}  // namespace
}  // namespace stratus::client
