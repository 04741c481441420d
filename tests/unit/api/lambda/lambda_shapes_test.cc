#include "api/lambda/lambda_shapes.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace stratus::api::lambda {
namespace {

namespace json = boost::json;

json::object createBody() {
  return json::parse(R"({"FunctionName": "f", "Runtime": "nodejs20.x", "Handler": "index.handler",
    "Role": "arn:aws:iam::1:role/x", "Timeout": 9, "MemorySize": 256, "Description": "d",
    "Environment": {"Variables": {"A": "1"}}, "Code": {"ZipFile": "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="},
    "Publish": true, "Architectures": ["x86_64"]})")
      .as_object();
}

TEST(LambdaShapes, CreateFunctionBecomesAStratusSpec) {
  auto parsed = parseCreateFunction(createBody());
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ(parsed->spec.name, "f");
  EXPECT_EQ(parsed->spec.runtime, "nodejs20");
  EXPECT_EQ(parsed->spec.handler, "index.handler");
  EXPECT_EQ(parsed->spec.mode, "handler");
  EXPECT_EQ(parsed->spec.timeoutS, 9);
  EXPECT_EQ(parsed->spec.memoryMb, 256);
  EXPECT_EQ(parsed->spec.env->at("A"), "1");
  EXPECT_TRUE(parsed->publish);
  EXPECT_EQ(parsed->code.fileName, "function.zip");
  EXPECT_EQ(parsed->code.bytes.size(), 22u);  // the empty zip
}

TEST(LambdaShapes, EveryRefusalNamesTheLambdaField) {
  struct Case {
    const char* member;
    json::value value;
    const char* expect;
  };
  const Case cases[] = {
      {"Timeout", "9", "Timeout must be an integer"},
      {"Timeout", 901, "Timeout: "},
      {"MemorySize", 64, "MemorySize: "},
      {"Runtime", "java21", "Runtime java21 is not supported"},
      {"Handler", 5, "Handler must be a string"},
      {"Environment", json::object{{"Variables", json::object{{"A", 1}}}}, "Environment.Variables: "},
      {"Code", json::object{{"S3Bucket", "b"}}, "Code.S3Bucket is not supported"},
      {"Code", json::object{{"ZipFile", "%%%"}}, "ZipFile is not valid base64"},
      {"Layers", json::array{"arn"}, "Layers is not supported"},
      {"Architectures", json::array{"arm64"}, "only x86_64"},
      {"PackageType", "Image", "only Zip"},
      {"FunctionName", "bad name", "FunctionName: "},
      {"Publish", "yes", "Publish must be true or false"},
  };
  for (const auto& c : cases) {
    json::object body = createBody();
    body[c.member] = c.value;
    auto parsed = parseCreateFunction(body);
    ASSERT_FALSE(parsed) << c.member;
    EXPECT_EQ(parsed.error().kind, ErrorKind::invalid_argument) << c.member;
    EXPECT_NE(parsed.error().message.find(c.expect), std::string::npos)
        << c.member << ": " << parsed.error().message;
  }
  for (const char* required : {"FunctionName", "Runtime", "Handler", "Code"}) {
    json::object body = createBody();
    body.erase(required);
    EXPECT_FALSE(parseCreateFunction(body)) << required;
  }
}

TEST(LambdaShapes, AProvidedRuntimeNeedsNoHandler) {
  json::object body = createBody();
  body["Runtime"] = "provided.al2023";
  body.erase("Handler");
  auto parsed = parseCreateFunction(body);
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ(parsed->spec.runtime, "provided");
}

TEST(LambdaShapes, ConfigurationAsLambdaReportsIt) {
  store::Function function;
  function.id = "fid";
  function.userId = "u1";
  function.name = "f";
  function.runtime = "nodejs20";
  function.handler = "index.handler";
  function.timeoutS = 9;
  function.memoryMb = 256;
  function.env = {{"A", "1"}};
  function.currentVersion = 3;
  function.updatedAt = 1'700'000'000'123;
  store::FunctionVersion code{"fid", 3,
                              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                              42, "key", 0};
  auto latest = functionConfiguration(function, code, "$LATEST");
  EXPECT_EQ(latest.at("FunctionArn"), "arn:aws:lambda:local:u1:function:f");
  EXPECT_EQ(latest.at("Runtime"), "nodejs20.x");
  EXPECT_EQ(latest.at("CodeSha256"), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  EXPECT_EQ(latest.at("CodeSize"), 42);
  EXPECT_EQ(latest.at("State"), "Active");
  EXPECT_EQ(latest.at("LastUpdateStatus"), "Successful");
  EXPECT_EQ(latest.at("LastModified"), "2023-11-14T22:13:20.123+0000");
  EXPECT_EQ(latest.at("Environment").at("Variables").at("A"), "1");
  auto two = functionConfiguration(function, code, "2");
  EXPECT_EQ(two.at("FunctionArn"), "arn:aws:lambda:local:u1:function:f:2");
  EXPECT_EQ(two.at("Version"), "2");
  // The revision follows every change.
  const std::string before = revisionOf(function);
  function.updatedAt += 1;
  EXPECT_NE(revisionOf(function), before);
}

TEST(LambdaShapes, AliasWeightsAreFractions) {
  store::Function function;
  function.userId = "u1";
  function.name = "f";
  store::Alias alias{.name = "live", .functionVersion = "1", .additionalVersion = "2",
                     .additionalWeightPpm = 250000, .revisionId = "r"};
  auto out = aliasConfiguration(alias, function);
  EXPECT_EQ(out.at("AliasArn"), "arn:aws:lambda:local:u1:function:f:live");
  EXPECT_EQ(out.at("RoutingConfig").at("AdditionalVersionWeights").at("2"), 0.25);
  alias.additionalVersion.reset();
  EXPECT_FALSE(aliasConfiguration(alias, function).contains("RoutingConfig"));
}

}  // namespace
}  // namespace stratus::api::lambda
