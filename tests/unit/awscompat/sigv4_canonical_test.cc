#include "awscompat/sigv4_canonical.h"

#include <gtest/gtest.h>

#include "common/crypto.h"
#include "unit/awscompat/test_requests.h"

namespace stratus::awscompat {
namespace {

using testing::makeRequest;

TEST(UriEncode, KeepsOnlyTheUnreservedSet) {
  const std::string unreserved =
      "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  EXPECT_EQ(uriEncode(unreserved), unreserved);
  EXPECT_EQ(uriEncode("a b+c/d%e=f&g"), "a%20b%2Bc%2Fd%25e%3Df%26g");
  // The characters encodeURIComponent would leave alone, which SigV4 encodes.
  EXPECT_EQ(uriEncode("!'()*"), "%21%27%28%29%2A");
  EXPECT_EQ(uriEncode("\xE1\x88\xB4"), "%E1%88%B4");
  EXPECT_EQ(uriEncode(std::string("\0\xff", 2)), "%00%FF");
}

// The normalize-path cases of AWS's test suite, plus the edges of a trailing slash.
TEST(NormalizePath, ResolvesDotsAndEmptySegments) {
  EXPECT_EQ(normalizePath(""), "/");
  EXPECT_EQ(normalizePath("/"), "/");
  EXPECT_EQ(normalizePath("//"), "/");                        // get-slash
  EXPECT_EQ(normalizePath("//example//"), "/example/");       // get-slashes
  EXPECT_EQ(normalizePath("/./"), "/");                       // get-slash-dot-slash
  EXPECT_EQ(normalizePath("/./example"), "/example");         // get-slash-pointless-dot
  EXPECT_EQ(normalizePath("/example/.."), "/");               // get-relative
  EXPECT_EQ(normalizePath("/example1/example2/../.."), "/");  // get-relative-relative
  EXPECT_EQ(normalizePath("/example space/"), "/example space/");
  EXPECT_EQ(normalizePath("/../../a"), "/a");
  EXPECT_EQ(normalizePath("/a/b/../c/"), "/a/c/");
  EXPECT_EQ(normalizePath("/a/%2E%2E/b"), "/a/%2E%2E/b");  // encoded dots are a name
  EXPECT_EQ(normalizePath("/2015-03-31/functions/my-fn/invocations"),
            "/2015-03-31/functions/my-fn/invocations");
}

TEST(CanonicalUri, EncodesTheWirePathOnceMore) {
  // AWS's suite sends these raw and signs them encoded once.
  EXPECT_EQ(canonicalUri("/example space/"), "/example%20space/");
  EXPECT_EQ(canonicalUri("/\xE1\x88\xB4"), "/%E1%88%B4");
  // An SDK sends the function name encoded; the canonical URI encodes it again.
  EXPECT_EQ(canonicalUri("/2015-03-31/functions/my%20fn/invocations"),
            "/2015-03-31/functions/my%2520fn/invocations");
  EXPECT_EQ(canonicalUri("/2015-03-31/functions/"
                         "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn/"
                         "invocations"),
            "/2015-03-31/functions/"
            "arn%253Aaws%253Alambda%253Aus-east-1%253A123456789012%253Afunction%253Amy-fn/"
            "invocations");
  EXPECT_EQ(canonicalUri("/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:f"),
            "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af");
  EXPECT_EQ(canonicalUri(""), "/");
  EXPECT_EQ(canonicalUri("//a/./b/../c/"), "/a/c/");
}

TEST(CanonicalQueryString, SortsByNameThenValueAndEncodes) {
  EXPECT_EQ(canonicalQueryString({}), "");
  EXPECT_EQ(canonicalQueryString({{"Param2", "value2"}, {"Param1", "value1"}}),
            "Param1=value1&Param2=value2");
  EXPECT_EQ(canonicalQueryString({{"Param1", "value2"}, {"Param1", "value1"}}),
            "Param1=value1&Param1=value2");
  // Byte order: upper case sorts before lower case.
  EXPECT_EQ(canonicalQueryString({{"foo", "aha"}, {"foo", "Zoo"}, {"a", ""}, {"B", "1"}}),
            "B=1&a=&foo=Zoo&foo=aha");
  // Space is %20 (never '+'), '+' itself is %2B, and the reserved characters are encoded.
  EXPECT_EQ(canonicalQueryString({{"Marker", "a b+c/d=e&f"}, {"$x", "\xC3\xA9"}}),
            "%24x=%C3%A9&Marker=a%20b%2Bc%2Fd%3De%26f");
  // Sorting happens on the encoded names: "%" (0x25) sorts before letters.
  EXPECT_EQ(canonicalQueryString({{"a", "1"}, {" a", "2"}}), "%20a=2&a=1");
}

TEST(CanonicalHeaders, TrimsCollapsesAndJoinsRepeats) {
  http::Headers headers{{"Host", "example.amazonaws.com"},
                        {"My-Header1", "  a   b \t c  "},
                        {"my-header2", "\"a   b   c\""},
                        {"X-Repeated", "value4"},
                        {"x-repeated", " value1 "},
                        {"X-REPEATED", "value3"},
                        {"X-Empty", ""},
                        {"X-Unsigned", "anything"}};
  auto canonical =
      canonicalHeaders(headers, {"host", "my-header1", "my-header2", "x-empty", "x-repeated"});
  ASSERT_TRUE(canonical) << canonical.error().message;
  EXPECT_EQ(*canonical,
            "host:example.amazonaws.com\n"
            "my-header1:a b c\n"
            "my-header2:\"a b c\"\n"
            "x-empty:\n"
            "x-repeated:value4,value1,value3\n");
}

TEST(CanonicalHeaders, RefusesAMissingSignedHeader) {
  http::Headers headers{{"Host", "example.amazonaws.com"}};
  auto canonical = canonicalHeaders(headers, {"host", "x-amz-date"});
  ASSERT_FALSE(canonical);
  EXPECT_EQ(canonical.error().code, "signed_header_missing");
}

TEST(CanonicalHeaders, RefusesControlCharacters) {
  for (std::string value :
       {std::string("a\nb"), std::string("a\rb"), std::string("a\0b", 3), std::string("a\x7f")}) {
    http::Headers headers{{"Host", "h"}, {"X-Value", value}};
    auto canonical = canonicalHeaders(headers, {"host", "x-value"});
    ASSERT_FALSE(canonical);
    EXPECT_EQ(canonical.error().code, "malformed_header");
  }
}

// AWS's worked example: GET https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08,
// whose canonical request the documentation prints with its hash.
TEST(CanonicalRequest, TheDocumentedIamExample) {
  auto request = makeRequest("GET", "/?Action=ListUsers&Version=2010-05-08",
                             {{"Host", "iam.amazonaws.com"},
                              {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                              {"X-Amz-Date", "20150830T123600Z"}});
  auto canonical =
      canonicalRequest(request, {"content-type", "host", "x-amz-date"}, sha256Hex(request.body));
  ASSERT_TRUE(canonical) << canonical.error().message;
  EXPECT_EQ(*canonical,
            "GET\n"
            "/\n"
            "Action=ListUsers&Version=2010-05-08\n"
            "content-type:application/x-www-form-urlencoded; charset=utf-8\n"
            "host:iam.amazonaws.com\n"
            "x-amz-date:20150830T123600Z\n"
            "\n"
            "content-type;host;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Hex(*canonical),
            "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
}

// The 2011 edition of the suite, signed with a Date header: canonical request printed in
// the suite, its hash in the string to sign.
TEST(CanonicalRequest, TheDateHeaderSuiteCase) {
  auto request = makeRequest("GET", "/?foo=Zoo&foo=aha",
                             {{"Date", "Mon, 09 Sep 2011 23:36:00 GMT"}, {"Host", "host.foo.com"}});
  auto canonical = canonicalRequest(request, {"date", "host"}, sha256Hex(""));
  ASSERT_TRUE(canonical);
  EXPECT_EQ(*canonical,
            "GET\n/\nfoo=Zoo&foo=aha\ndate:Mon, 09 Sep 2011 23:36:00 GMT\nhost:host.foo.com\n\n"
            "date;host\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Hex(*canonical),
            "e25f777ba161a0f1baf778a87faf057187cf5987f17953320e3ca399feb5f00d");
}

TEST(CanonicalRequest, AbsoluteFormTargetsUseTheirPath) {
  auto request = makeRequest("GET", "http://example.com/a%20b?x=1", {{"Host", "example.com"}});
  auto canonical = canonicalRequest(request, {"host"}, "hash");
  ASSERT_TRUE(canonical);
  EXPECT_EQ(*canonical, "GET\n/a%2520b\nx=1\nhost:example.com\n\nhost\nhash");
}

}  // namespace
}  // namespace stratus::awscompat
