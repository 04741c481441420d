// The S3 configuration from --blobs and the AWS_* variables, on literal input.
#include "blob/s3/s3_options.h"

#include <gtest/gtest.h>

namespace stratus::blob {
namespace {

using Env = std::map<std::string, std::string>;

const Env kCredentials{{"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
                       {"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}};

Env with(Env extra) {
  Env env = kCredentials;
  for (auto& [name, value] : extra) env[name] = value;
  return env;
}

void expectInvalid(std::string_view url, const Env& env, std::string_view inMessage) {
  auto options = s3OptionsFrom(url, env);
  ASSERT_FALSE(options) << url;
  EXPECT_EQ(options.error().kind, ErrorKind::invalid_argument) << url;
  EXPECT_EQ(options.error().code, "invalid_config") << url;
  EXPECT_NE(options.error().message.find(inMessage), std::string::npos)
      << url << ": " << options.error().message;
}

TEST(S3OptionsFrom, ABucketAloneGivesAwsDefaults) {
  auto options = s3OptionsFrom("s3://lambda-code", kCredentials);
  ASSERT_TRUE(options) << options.error().describe();
  EXPECT_EQ(options->bucket, "lambda-code");
  EXPECT_EQ(options->prefix, "");
  EXPECT_EQ(options->region, "us-east-1");
  EXPECT_EQ(options->endpoint, "");
  EXPECT_FALSE(options->pathStyle);
  EXPECT_EQ(options->accessKeyId, "AKIDEXAMPLE");
  EXPECT_EQ(options->secretAccessKey, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  EXPECT_EQ(options->sessionToken, "");
  EXPECT_EQ(options->multipartThreshold, 16u << 20);
  EXPECT_EQ(options->partSize, 8u << 20);
}

TEST(S3OptionsFrom, ReadsPrefixAndQuery) {
  auto options = s3OptionsFrom(
      "s3://code.bucket-1/stratus/prod/?endpoint=http%3A%2F%2F127.0.0.1%3A9000&path-style=true"
      "&region=eu-west-1",
      kCredentials);
  ASSERT_TRUE(options) << options.error().describe();
  EXPECT_EQ(options->bucket, "code.bucket-1");
  EXPECT_EQ(options->prefix, "stratus/prod");
  EXPECT_EQ(options->endpoint, "http://127.0.0.1:9000");
  EXPECT_TRUE(options->pathStyle);
  EXPECT_EQ(options->region, "eu-west-1");

  auto raw =
      s3OptionsFrom("s3://code/p?endpoint=http://127.0.0.1:9000/&path-style=1", kCredentials);
  ASSERT_TRUE(raw) << raw.error().describe();
  EXPECT_EQ(raw->endpoint, "http://127.0.0.1:9000");
  EXPECT_TRUE(raw->pathStyle);
}

TEST(S3OptionsFrom, TheEnvironmentFillsInAndTheUrlWins) {
  const Env env = with({{"AWS_REGION", "eu-central-1"},
                        {"AWS_DEFAULT_REGION", "ap-south-1"},
                        {"AWS_ENDPOINT_URL", "http://generic:1"},
                        {"AWS_ENDPOINT_URL_S3", "http://minio:9000"},
                        {"AWS_S3_FORCE_PATH_STYLE", "true"},
                        {"AWS_SESSION_TOKEN", "FwoGZXIvYXdzE/token="}});
  auto fromEnv = s3OptionsFrom("s3://code", env);
  ASSERT_TRUE(fromEnv) << fromEnv.error().describe();
  EXPECT_EQ(fromEnv->region, "eu-central-1");
  EXPECT_EQ(fromEnv->endpoint, "http://minio:9000");
  EXPECT_TRUE(fromEnv->pathStyle);
  EXPECT_EQ(fromEnv->sessionToken, "FwoGZXIvYXdzE/token=");

  auto overridden = s3OptionsFrom(
      "s3://code?region=us-west-2&endpoint=https://s3.example.com&path-style=false", env);
  ASSERT_TRUE(overridden) << overridden.error().describe();
  EXPECT_EQ(overridden->region, "us-west-2");
  EXPECT_EQ(overridden->endpoint, "https://s3.example.com");
  EXPECT_FALSE(overridden->pathStyle);

  auto fallbacks = s3OptionsFrom("s3://code", with({{"AWS_DEFAULT_REGION", "ap-south-1"},
                                                    {"AWS_ENDPOINT_URL", "http://g:1"},
                                                    {"AWS_REGION", ""}}));
  ASSERT_TRUE(fallbacks);
  EXPECT_EQ(fallbacks->region, "ap-south-1");
  EXPECT_EQ(fallbacks->endpoint, "http://g:1");
}

TEST(S3OptionsFrom, WithoutAUrlTheBucketVariableSelects) {
  auto options = s3OptionsFrom("", with({{"AWS_S3_BUCKET", "lambda-code"}}));
  ASSERT_TRUE(options) << options.error().describe();
  EXPECT_EQ(options->bucket, "lambda-code");
  EXPECT_EQ(options->prefix, "");
  expectInvalid("", kCredentials, "AWS_S3_BUCKET");
}

TEST(S3OptionsFrom, MissingCredentialsNameTheVariable) {
  expectInvalid("s3://code", {{"AWS_SECRET_ACCESS_KEY", "s"}}, "AWS_ACCESS_KEY_ID");
  expectInvalid("s3://code", {{"AWS_ACCESS_KEY_ID", "a"}}, "AWS_SECRET_ACCESS_KEY");
  expectInvalid("s3://code", {{"AWS_ACCESS_KEY_ID", "a"}, {"AWS_SECRET_ACCESS_KEY", ""}},
                "AWS_SECRET_ACCESS_KEY");
}

TEST(S3OptionsFrom, ASecretWithALineBreakIsRefusedWithoutQuotingIt) {
  auto options = s3OptionsFrom(
      "s3://code", {{"AWS_ACCESS_KEY_ID", "a"}, {"AWS_SECRET_ACCESS_KEY", "top\r\nX-Evil: 1"}});
  ASSERT_FALSE(options);
  EXPECT_EQ(options.error().message.find("top"), std::string::npos);
  EXPECT_NE(options.error().message.find("AWS_SECRET_ACCESS_KEY"), std::string::npos);
}

TEST(S3OptionsFrom, RefusesMalformedUrls) {
  expectInvalid("s3:/code", kCredentials, "s3://");
  expectInvalid("file:///srv", kCredentials, "s3://");
  expectInvalid("s3://", kCredentials, "no bucket");
  expectInvalid("s3://code//double", kCredentials, "prefix");
  expectInvalid("s3://code/a/../b", kCredentials, "prefix");
  expectInvalid("s3://code/sp ace", kCredentials, "prefix");
  expectInvalid("s3://code?endpoint=ftp://host", kCredentials, "http or https");
  expectInvalid("s3://code?endpoint=http%3", kCredentials, "%-escape");
  expectInvalid("s3://code?path-style=yes", kCredentials, "path-style");
  expectInvalid("s3://code?regoin=eu-west-1", kCredentials, "unknown parameter \"regoin\"");
  expectInvalid("s3://code?region=EU_WEST", kCredentials, "region");
  expectInvalid("s3://code", with({{"AWS_S3_FORCE_PATH_STYLE", "maybe"}}),
                "AWS_S3_FORCE_PATH_STYLE");
}

TEST(ValidateBucketName, FollowsS3sNamingRules) {
  for (const char* good : {"abc", "code-bucket", "my.bucket.name", "a1b"}) {
    EXPECT_TRUE(validateBucketName(good)) << good;
  }
  EXPECT_TRUE(validateBucketName(std::string(63, 'a')));
  for (const char* bad : {"ab", "Code", "under_score", "-start", "end-", ".dot", "dot.",
                          "two..dots", "sp ace", "caf\xc3\xa9"}) {
    EXPECT_FALSE(validateBucketName(bad)) << bad;
  }
  EXPECT_FALSE(validateBucketName(std::string(64, 'a')));
}

TEST(ValidateS3Options, ChecksSizesAttemptsAndTimeouts) {
  S3Options options;
  options.bucket = "code";
  options.accessKeyId = "a";
  options.secretAccessKey = "s";
  EXPECT_TRUE(validateS3Options(options));

  S3Options tinyParts = options;
  tinyParts.partSize = 1u << 20;
  tinyParts.multipartThreshold = 1u << 20;
  EXPECT_FALSE(validateS3Options(tinyParts));  // S3 refuses parts under 5 MiB

  S3Options thresholdBelowPart = options;
  thresholdBelowPart.multipartThreshold = 6u << 20;
  EXPECT_FALSE(validateS3Options(thresholdBelowPart));

  S3Options noAttempts = options;
  noAttempts.maxAttempts = 0;
  EXPECT_FALSE(validateS3Options(noAttempts));

  S3Options noTimeout = options;
  noTimeout.requestTimeoutMs = 0;
  EXPECT_FALSE(validateS3Options(noTimeout));

  S3Options badPrefix = options;
  badPrefix.prefix = "/leading";
  EXPECT_FALSE(validateS3Options(badPrefix));
}

}  // namespace
}  // namespace stratus::blob
