// Address building for S3 requests, on literal input.
#include "blob/s3/s3_request.h"

#include <gtest/gtest.h>

namespace stratus::blob::s3 {
namespace {

TEST(ParseEndpoint, AcceptsHostsPortsAndIpv6) {
  auto local = parseEndpoint("http://127.0.0.1:9000");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->scheme, "http");
  EXPECT_EQ(local->host, "127.0.0.1");
  EXPECT_EQ(local->port, "9000");

  auto aws = parseEndpoint("HTTPS://S3.eu-west-1.amazonaws.com/");
  ASSERT_TRUE(aws);
  EXPECT_EQ(aws->scheme, "https");
  EXPECT_EQ(aws->host, "s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(aws->port, "");

  auto v6 = parseEndpoint("http://[::1]:9000");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "[::1]");
  EXPECT_EQ(v6->port, "9000");
}

TEST(ParseEndpoint, RefusesWhatItCannotSignFor) {
  for (const char* url :
       {"", "127.0.0.1:9000", "ftp://host", "http://", "http://host:", "http://host:0",
        "http://host:65536", "http://host:9x", "http://user:pw@host", "http://host/path",
        "http://host?x=1", "http://ho st", "http://[::1", "http://[zz]:1", "http://[::1]x"}) {
    auto parsed = parseEndpoint(url);
    ASSERT_FALSE(parsed) << url;
    EXPECT_EQ(parsed.error().code, "invalid_config") << url;
  }
  // The credentials of a refused URL are not repeated back.
  EXPECT_EQ(parseEndpoint("http://user:pw@host").error().message.find("pw@"), std::string::npos);
}

TEST(EndpointUrlFor, DefaultsToTheRegionalAwsEndpoint) {
  EXPECT_EQ(endpointUrlFor("", "eu-west-1"), "https://s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(endpointUrlFor("http://127.0.0.1:9000", "eu-west-1"), "http://127.0.0.1:9000");
}

TEST(PercentEncode, KeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(percentEncode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(percentEncode("a b/c+d=e&f%"), "a%20b%2Fc%2Bd%3De%26f%25");
  EXPECT_EQ(percentEncode("caf\xc3\xa9"), "caf%C3%A9");  // upper-case hex, byte by byte
  EXPECT_EQ(percentEncode(std::string("\0*", 2)), "%00%2A");
}

TEST(EncodeKeyPath, KeepsSlashesBetweenSegments) {
  EXPECT_EQ(encodeKeyPath("users/u1/functions/f1/abc.zip"), "users/u1/functions/f1/abc.zip");
  EXPECT_EQ(encodeKeyPath("a b/c+d/"), "a%20b/c%2Bd/");
  EXPECT_EQ(encodeKeyPath(""), "");
}

TEST(PercentDecode, ReversesEncodingAndRefusesBrokenEscapes) {
  EXPECT_EQ(percentDecode("http%3A%2F%2F127.0.0.1%3a9000"), "http://127.0.0.1:9000");
  EXPECT_EQ(percentDecode("plain"), "plain");
  EXPECT_FALSE(percentDecode("%"));
  EXPECT_FALSE(percentDecode("%4"));
  EXPECT_FALSE(percentDecode("%zz"));
}

TEST(DecodeListedKey, TurnsPlusIntoSpaceAndEscapesIntoBytes) {
  EXPECT_EQ(decodeListedKey("users/u1/a.zip"), "users/u1/a.zip");
  EXPECT_EQ(decodeListedKey("a+b%2Bc%01"), std::string("a b+c\x01"));
  EXPECT_FALSE(decodeListedKey("bad%"));
}

TEST(CanonicalQuery, SortsEncodesAndAlwaysHasEquals) {
  EXPECT_EQ(canonicalQuery({}), "");
  EXPECT_EQ(canonicalQuery({{"uploads", ""}}), "uploads=");
  EXPECT_EQ(canonicalQuery(
                {{"prefix", "users/u1"}, {"list-type", "2"}, {"continuation-token", "1/a+b="}}),
            "continuation-token=1%2Fa%2Bb%3D&list-type=2&prefix=users%2Fu1");
  EXPECT_EQ(canonicalQuery({{"uploadId", "x"}, {"partNumber", "10"}}), "partNumber=10&uploadId=x");
  // Upper-case sorts before lower-case, by byte.
  EXPECT_EQ(canonicalQuery({{"b", "1"}, {"B", "2"}, {"a", "2"}, {"a", "1"}}), "B=2&a=1&a=2&b=1");
}

TEST(RequestUrl, VirtualHostedAndPathStyle) {
  const Endpoint aws{"https", "s3.eu-west-1.amazonaws.com", ""};
  EXPECT_EQ(requestUrl(aws, "code", false, "p/users/u1/a.zip", ""),
            "https://code.s3.eu-west-1.amazonaws.com/p/users/u1/a.zip");
  EXPECT_EQ(requestUrl(aws, "code", false, "", "list-type=2"),
            "https://code.s3.eu-west-1.amazonaws.com/?list-type=2");
  const Endpoint local{"http", "127.0.0.1", "9000"};
  EXPECT_EQ(requestUrl(local, "code", true, "a/b c", "uploads="),
            "http://127.0.0.1:9000/code/a/b%20c?uploads=");
  EXPECT_EQ(requestUrl(local, "code", true, "", "list-type=2"),
            "http://127.0.0.1:9000/code?list-type=2");
}

TEST(ObjectKeys, LiveUnderThePrefix) {
  EXPECT_EQ(objectKeyFor("", "a/b"), "a/b");
  EXPECT_EQ(objectKeyFor("stratus/prod", "a/b"), "stratus/prod/a/b");
  EXPECT_EQ(blobKeyFor("", "a/b"), "a/b");
  EXPECT_EQ(blobKeyFor("stratus", "stratus/a/b"), "a/b");
  EXPECT_FALSE(blobKeyFor("stratus", "stratus2/a"));
  EXPECT_FALSE(blobKeyFor("stratus", "stratus/"));
  EXPECT_FALSE(blobKeyFor("stratus", "other/a"));
}

}  // namespace
}  // namespace stratus::blob::s3
