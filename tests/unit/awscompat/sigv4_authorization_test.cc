#include "awscompat/sigv4_authorization.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace stratus::awscompat {
namespace {

// The header of AWS's worked IAM ListUsers example.
constexpr std::string_view kIamExample =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date, "
    "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

TEST(ParseAuthorization, ReadsTheDocumentedExample) {
  auto parsed = parseAuthorization(kIamExample);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->accessKeyId, "AKIDEXAMPLE");
  EXPECT_EQ(parsed->scope.date, "20150830");
  EXPECT_EQ(parsed->scope.region, "us-east-1");
  EXPECT_EQ(parsed->scope.service, "iam");
  EXPECT_EQ(parsed->scope.toString(), "20150830/us-east-1/iam/aws4_request");
  EXPECT_EQ(parsed->signedHeaders,
            (std::vector<std::string>{"content-type", "host", "x-amz-date"}));
  EXPECT_EQ(parsed->signature, "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST(ParseAuthorization, FormatRoundTrips) {
  auto parsed = parseAuthorization(kIamExample);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(formatAuthorization(*parsed), kIamExample);
}

TEST(ParseAuthorization, CommasWithoutSpacesAsSomeSignersWriteThem) {
  auto parsed = parseAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/lambda/aws4_request,"
      "SignedHeaders=host;x-amz-date,"
      "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->scope.service, "lambda");
  EXPECT_EQ(parsed->signedHeaders, (std::vector<std::string>{"host", "x-amz-date"}));
}

TEST(ParseAuthorization, OtherSchemesAreUnsupported) {
  for (std::string_view header :
       {"AWS AKIDEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=", "Bearer abc", "Basic dXNlcjpwYXNz",
        "AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/service/aws4_request, "
        "SignedHeaders=host, Signature=00",
        "aws4-hmac-sha256 Credential=x", "AWS4-HMAC-SHA256\tCredential=x"}) {
    auto parsed = parseAuthorization(header);
    ASSERT_FALSE(parsed) << header;
    EXPECT_EQ(parsed.error().code, "unsupported_algorithm") << header;
    EXPECT_EQ(parsed.error().kind, ErrorKind::invalid_argument);
  }
}

TEST(ParseAuthorization, RefusesEveryMalformedShape) {
  const std::string credential = "Credential=AKIDEXAMPLE/20150830/us-east-1/lambda/aws4_request";
  const std::string signedHeaders = "SignedHeaders=host;x-amz-date";
  const std::string signature =
      "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
  auto header = [](std::string a, std::string b, std::string c) {
    return "AWS4-HMAC-SHA256 " + a + ", " + b + ", " + c;
  };
  const std::vector<std::string> cases = {
      "",
      " AWS4-HMAC-SHA256",
      "AWS4-HMAC-SHA256",
      "AWS4-HMAC-SHA256 ",
      "AWS4-HMAC-SHA256  " + credential + ", " + signedHeaders + ", " + signature,
      "AWS4-HMAC-SHA256 " + credential,
      "AWS4-HMAC-SHA256 " + credential + ", " + signedHeaders,
      header(credential, signedHeaders, signature) + ",",
      header(credential, signedHeaders, signature) + " ",
      header(credential, signedHeaders, signature) + ", Extra=1",
      header(signedHeaders, credential, signature),  // order
      header(credential, signature, signedHeaders),
      header("credential=AKIDEXAMPLE/20150830/us-east-1/lambda/aws4_request", signedHeaders,
             signature),
      header("Credential =AKIDEXAMPLE/20150830/us-east-1/lambda/aws4_request", signedHeaders,
             signature),
      header("Credential=", signedHeaders, signature),
      header("Credential", signedHeaders, signature),
      header("Credential=/20150830/us-east-1/lambda/aws4_request", signedHeaders, signature),
      header("Credential=AKID-EXAMPLE/20150830/us-east-1/lambda/aws4_request", signedHeaders,
             signature),
      header("Credential=" + std::string(129, 'A') + "/20150830/us-east-1/lambda/aws4_request",
             signedHeaders, signature),
      header("Credential=AKIDEXAMPLE/20150230/us-east-1/lambda/aws4_request", signedHeaders,
             signature),
      header("Credential=AKIDEXAMPLE/2015083/us-east-1/lambda/aws4_request", signedHeaders,
             signature),
      header("Credential=AKIDEXAMPLE/2015-08-30/us-east-1/lambda/aws4_request", signedHeaders,
             signature),
      header("Credential=AKIDEXAMPLE/20150830/US-EAST-1/lambda/aws4_request", signedHeaders,
             signature),
      header("Credential=AKIDEXAMPLE/20150830//lambda/aws4_request", signedHeaders, signature),
      header("Credential=AKIDEXAMPLE/20150830/us-east-1/lambda/aws4_requesT", signedHeaders,
             signature),
      header("Credential=AKIDEXAMPLE/20150830/us-east-1/lambda", signedHeaders, signature),
      header("Credential=AKIDEXAMPLE/20150830/us-east-1/lambda/aws4_request/", signedHeaders,
             signature),
      header("Credential=AKIDEXAMPLE/20150830/us-east-1/lambda/x/aws4_request", signedHeaders,
             signature),
      header(credential, "SignedHeaders=", signature),
      header(credential, "SignedHeaders=host;", signature),
      header(credential, "SignedHeaders=;host", signature),
      header(credential, "SignedHeaders=Host;x-amz-date", signature),
      header(credential, "SignedHeaders=x-amz-date;host", signature),
      header(credential, "SignedHeaders=host;host", signature),
      header(credential, "SignedHeaders=host;x amz", signature),
      header(credential, "SignedHeaders=host;x:amz", signature),
      header(credential, signedHeaders, "Signature="),
      header(credential, signedHeaders,
             "Signature=5D672D79C15B13162D9279B0855CFBA6789A8EDB4C82C400E06B5924A6F2B5D7"),
      header(credential, signedHeaders,
             "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d"),
      header(credential, signedHeaders, signature + "0"),
      header(credential, signedHeaders,
             "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5dg"),
      header(credential, signedHeaders, signature) + std::string(5000, 'a'),
  };
  for (const std::string& text : cases) {
    auto parsed = parseAuthorization(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_EQ(parsed.error().code, "malformed_authorization") << text;
    EXPECT_EQ(parsed.error().kind, ErrorKind::invalid_argument) << text;
  }
}

TEST(ParseAuthorization, BoundsTheSignedHeaders) {
  std::string names;
  for (int i = 0; i < 65; ++i) {
    if (i > 0) names += ';';
    names += "h" + std::to_string(100 + i);  // ascending: h100, h101...
  }
  auto parsed = parseAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/lambda/aws4_request, "
      "SignedHeaders=" +
      names + ", Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, "malformed_authorization");
}

TEST(IsScopeDate, RealCalendarDaysOnly) {
  EXPECT_TRUE(isScopeDate("20150830"));
  EXPECT_TRUE(isScopeDate("20240229"));
  EXPECT_FALSE(isScopeDate("20230229"));
  EXPECT_FALSE(isScopeDate("20151301"));
  EXPECT_FALSE(isScopeDate("20150800"));
  EXPECT_FALSE(isScopeDate("2015083"));
  EXPECT_FALSE(isScopeDate("201508300"));
  EXPECT_FALSE(isScopeDate("2015O830"));
}

}  // namespace
}  // namespace stratus::awscompat
