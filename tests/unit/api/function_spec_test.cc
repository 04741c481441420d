#include "api/function_spec.h"

#include <gtest/gtest.h>

#include <utility>

namespace stratus::api {
namespace {

TEST(FunctionSpec, Names) {
  for (auto ok : {"a", "cloud", "my-func_2", "A1"}) EXPECT_TRUE(validateName(ok)) << ok;
  for (auto bad : {"", "-x", "_x", "a b", "a/b", "a.b", "ä"}) EXPECT_FALSE(validateName(bad)) << bad;
  EXPECT_TRUE(validateName(std::string(64, 'a')));
  EXPECT_FALSE(validateName(std::string(65, 'a')));
}

TEST(FunctionSpec, RuntimesAcceptTheClonesValues) {
  EXPECT_EQ(*canonicalRuntime("python"), "python3.11");
  EXPECT_EQ(*canonicalRuntime("python3.11"), "python3.11");
  EXPECT_EQ(*canonicalRuntime("node"), "nodejs20");
  EXPECT_EQ(*canonicalRuntime("nodejs"), "nodejs20");
  EXPECT_EQ(canonicalRuntime("ruby").error().code, "invalid_runtime");
}

TEST(FunctionSpec, HandlersAndEntryFiles) {
  for (auto ok : {"cloud.calculator", "lib/app.main", "a-b/c_d.handler", "x._y"})
    EXPECT_TRUE(validateHandler(ok)) << ok;
  for (auto bad : {"", "cloud", ".x", "x.", "../x.y", "/x.y", "a//b.c", "a.9b", "a.b-c", "a b.c",
                   "a/../b.c"})
    EXPECT_FALSE(validateHandler(bad)) << bad;
  EXPECT_EQ(entryFileFor("cloud.calculator", "python3.11"), "cloud.py");
  EXPECT_EQ(entryFileFor("lib/app.main", "nodejs20"), "lib/app.js");
}

TEST(FunctionSpec, BoundedNumbers) {
  FunctionFields fields;
  fields.timeout = "900";
  fields.memory = "128";
  auto spec = validateFields(fields);
  ASSERT_TRUE(spec);
  EXPECT_EQ(*spec->timeoutS, 900);
  EXPECT_EQ(*spec->memoryMb, 128);
  for (auto bad : {"0", "901", "", "1e3", " 5", "5 ", "0x10"}) {
    fields.timeout = bad;
    auto result = validateFields(fields);
    ASSERT_FALSE(result) << bad;
    EXPECT_EQ(result.error().code, "invalid_timeout");
  }
}

TEST(FunctionSpec, Environment) {
  auto env = parseEnv(R"({"A":"1","B_2":"two"})");
  ASSERT_TRUE(env);
  EXPECT_EQ(env->at("B_2"), "two");
  EXPECT_TRUE(parseEnv("")->empty());
  for (auto bad : {R"([])", R"({"1A":"x"})", R"({"A":1})", R"({"AWS_REGION":"x"})",
                   R"({"LD_PRELOAD":"/x.so"})", "{", R"({"A-B":"x"})"})
    EXPECT_EQ(parseEnv(bad).error().code, "invalid_env") << bad;
  std::string huge = R"({"A":")" + std::string(5000, 'x') + R"("})";
  EXPECT_FALSE(parseEnv(huge));
}

TEST(FunctionSpec, Modes) {
  for (auto ok : {"script", "handler"}) {
    FunctionFields fields;
    fields.mode = ok;
    auto spec = validateFields(fields);
    ASSERT_TRUE(spec) << ok;
    EXPECT_EQ(*spec->mode, ok);
  }
  for (auto bad : {"", "Script", "HANDLER", "event", "script "}) {
    FunctionFields fields;
    fields.mode = bad;
    auto result = validateFields(fields);
    ASSERT_FALSE(result) << bad;
    EXPECT_EQ(result.error().code, "invalid_mode") << bad;
  }
  EXPECT_FALSE(validateFields(FunctionFields{})->mode.has_value());
}

TEST(FunctionSpec, Executors) {
  for (auto ok : {"sandbox", "docker", "nanos"}) {
    FunctionFields fields;
    fields.executor = ok;
    auto spec = validateFields(fields);
    ASSERT_TRUE(spec) << ok;
    EXPECT_EQ(*spec->executor, ok);
  }
  for (auto bad : {"", "Docker", "lambda", "docker ", "../sandbox"}) {
    FunctionFields fields;
    fields.executor = bad;
    auto result = validateFields(fields);
    ASSERT_FALSE(result) << bad;
    EXPECT_EQ(result.error().code, "invalid_executor") << bad;
  }
  EXPECT_FALSE(validateFields(FunctionFields{})->executor.has_value());
}

TEST(FunctionSpec, ConcurrencyIsBoundedAndEmptyClearsIt) {
  FunctionFields fields;
  for (auto [text, value] : {std::pair{"1", 1}, std::pair{"1000", 1000}, std::pair{"7", 7}}) {
    fields.concurrency = text;
    auto spec = validateFields(fields);
    ASSERT_TRUE(spec) << text;
    ASSERT_TRUE(spec->concurrency.has_value());
    EXPECT_EQ(*spec->concurrency, value);
  }
  // Given, but empty: the request asks for no reservation, which is not the same as not
  // mentioning it (a PATCH must clear the stored one).
  fields.concurrency = "";
  auto cleared = validateFields(fields);
  ASSERT_TRUE(cleared);
  ASSERT_TRUE(cleared->concurrency.has_value());
  EXPECT_FALSE(cleared->concurrency->has_value());
  EXPECT_FALSE(validateFields(FunctionFields{})->concurrency.has_value());

  for (auto bad : {"0", "-1", "1001", "2.5", "1e2", "null", "true", " 5", "ten"}) {
    fields.concurrency = bad;
    auto result = validateFields(fields);
    ASSERT_FALSE(result) << bad;
    EXPECT_EQ(result.error().code, "invalid_concurrency") << bad;
  }
}

TEST(FunctionSpec, PrewarmIsBounded) {
  FunctionFields fields;
  for (auto [text, value] : {std::pair{"0", 0}, std::pair{"32", 32}, std::pair{"3", 3}}) {
    fields.prewarm = text;
    auto spec = validateFields(fields);
    ASSERT_TRUE(spec) << text;
    EXPECT_EQ(*spec->prewarm, value);
  }
  for (auto bad : {"-1", "33", "", "null", "1.0", "two"}) {
    fields.prewarm = bad;
    auto result = validateFields(fields);
    ASSERT_FALSE(result) << bad;
    EXPECT_EQ(result.error().code, "invalid_prewarm") << bad;
  }
}

TEST(FunctionSpec, PrewarmCannotExceedConcurrency) {
  EXPECT_TRUE(validatePrewarm(0, std::nullopt));
  EXPECT_TRUE(validatePrewarm(32, std::nullopt));  // unreserved: only prewarm's own bound
  EXPECT_TRUE(validatePrewarm(3, 3));
  EXPECT_TRUE(validatePrewarm(0, 1));
  auto refused = validatePrewarm(4, 3);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "invalid_prewarm");
  EXPECT_EQ(refused.error().kind, ErrorKind::invalid_argument);
  // The message names both values, so the caller sees which one to change.
  EXPECT_NE(refused.error().message.find("prewarm (4)"), std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message.find("concurrency (3)"), std::string::npos)
      << refused.error().message;

  // Both in one request are checked together; clearing the reservation lifts the bound.
  FunctionFields fields;
  fields.concurrency = "2";
  fields.prewarm = "5";
  EXPECT_EQ(validateFields(fields).error().code, "invalid_prewarm");
  fields.prewarm = "2";
  EXPECT_TRUE(validateFields(fields));
  fields.concurrency = "";
  fields.prewarm = "5";
  EXPECT_TRUE(validateFields(fields));
}

TEST(FunctionSpec, Booleans) {
  EXPECT_TRUE(*parseBool("true", "c"));
  EXPECT_FALSE(*parseBool("false", "c"));
  EXPECT_FALSE(parseBool("maybe", "invalid_public"));
}

}  // namespace
}  // namespace stratus::api
