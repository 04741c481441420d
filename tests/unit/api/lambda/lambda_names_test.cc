#include "api/lambda/lambda_names.h"

#include <gtest/gtest.h>

namespace stratus::api::lambda {
namespace {

TEST(LambdaNames, FunctionNamesArnsAndQualifiers) {
  auto plain = parseFunctionRef("my-fn", "u1");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->name, "my-fn");
  EXPECT_EQ(plain->qualifier, "");
  auto qualified = parseFunctionRef("my-fn:prod", "u1");
  ASSERT_TRUE(qualified);
  EXPECT_EQ(qualified->qualifier, "prod");
  auto arn = parseFunctionRef("arn:aws:lambda:us-east-1:u1:function:my-fn:7", "u1");
  ASSERT_TRUE(arn) << arn.error().describe();
  EXPECT_EQ(arn->name, "my-fn");
  EXPECT_EQ(arn->qualifier, "7");
  auto bare = parseFunctionRef("arn:aws:lambda:local:u1:function:my-fn", "u1");
  ASSERT_TRUE(bare) << bare.error().describe();
  EXPECT_EQ(bare->qualifier, "");
  auto partial = parseFunctionRef("u1:function:my-fn:$LATEST", "u1");
  ASSERT_TRUE(partial);
  EXPECT_EQ(partial->qualifier, "$LATEST");
}

TEST(LambdaNames, AnotherAccountsArnIsNotFoundAndJunkIsRefused) {
  EXPECT_EQ(parseFunctionRef("arn:aws:lambda:us-east-1:u2:function:my-fn", "u1").error().kind,
            ErrorKind::not_found);
  EXPECT_EQ(parseFunctionRef("u2:function:f", "u1").error().kind, ErrorKind::not_found);
  for (const char* bad : {"", "my fn", "../etc", "my-fn:", "a:b:c", "arn:aws:s3:r:u1:function:f",
                          "arn:aws:lambda:r:u1:layer:f", "my-fn:bad qualifier", "f:0123"}) {
    auto parsed = parseFunctionRef(bad, "u1");
    EXPECT_FALSE(parsed) << bad;
    if (!parsed) {
      EXPECT_EQ(parsed.error().kind, ErrorKind::invalid_argument) << bad;
    }
  }
  EXPECT_FALSE(parseFunctionRef(std::string(300, 'a'), "u1"));
}

TEST(LambdaNames, QualifierFromTheNameAndTheQueryMustAgree) {
  FunctionRef ref{"f", "prod"};
  EXPECT_EQ(*combineQualifier(ref, std::nullopt), "prod");
  EXPECT_EQ(*combineQualifier(ref, "prod"), "prod");
  EXPECT_EQ(combineQualifier(ref, "3").error().code, "invalid_qualifier");
  EXPECT_EQ(*combineQualifier(FunctionRef{"f", ""}, "3"), "3");
  EXPECT_FALSE(combineQualifier(FunctionRef{"f", ""}, "no way"));
}

TEST(LambdaNames, AliasNamesAndVersionNumbers) {
  EXPECT_TRUE(validateAliasName("live"));
  EXPECT_TRUE(validateAliasName("blue_green-2"));
  EXPECT_FALSE(validateAliasName("12"));  // a version number
  EXPECT_FALSE(validateAliasName(""));
  EXPECT_FALSE(validateAliasName(std::string(129, 'a')));
  EXPECT_FALSE(validateAliasName("a.b"));
  EXPECT_EQ(versionNumber("12"), 12);
  EXPECT_EQ(versionNumber("012"), std::nullopt);
  EXPECT_EQ(versionNumber("123456789"), std::nullopt);
  EXPECT_EQ(versionNumber("$LATEST"), std::nullopt);
}

TEST(LambdaNames, RuntimesAsAwsSpellsThem) {
  EXPECT_EQ(*stratusRuntime("python3.11"), "python3.11");
  EXPECT_EQ(*stratusRuntime("nodejs20.x"), "nodejs20");
  EXPECT_EQ(*stratusRuntime("provided.al2023"), "provided");
  EXPECT_EQ(*stratusRuntime("provided.al2"), "provided");
  auto java = stratusRuntime("java21");
  ASSERT_FALSE(java);
  EXPECT_NE(java.error().message.find("nodejs20.x"), std::string::npos);
  EXPECT_EQ(awsRuntime("nodejs20"), "nodejs20.x");
  EXPECT_EQ(awsRuntime("provided"), "provided.al2023");
  EXPECT_EQ(awsRuntime("python3.11"), "python3.11");
}

TEST(LambdaNames, TimestampsDigestsAndBase64) {
  EXPECT_EQ(lambdaTimestamp(1'700'000'000'123), "2023-11-14T22:13:20.123+0000");
  // SHA-256 of "" in hex and in base64.
  EXPECT_EQ(base64Sha256("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  EXPECT_EQ(base64Encode("hi?"), "aGk/");
  EXPECT_EQ(*base64Decode("aGk/", "x"), "hi?");
  EXPECT_EQ(base64Decode("aGk_", "ZipFile").error().message, "ZipFile is not valid base64");
  EXPECT_FALSE(base64Decode("aGk", "x"));
  EXPECT_EQ(functionArn("u1", "f", "2"), "arn:aws:lambda:local:u1:function:f:2");
}

}  // namespace
}  // namespace stratus::api::lambda
