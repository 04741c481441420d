#include "api/function_spec.h"

#include <gtest/gtest.h>

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

TEST(FunctionSpec, Booleans) {
  EXPECT_TRUE(*parseBool("true", "c"));
  EXPECT_FALSE(*parseBool("false", "c"));
  EXPECT_FALSE(parseBool("maybe", "invalid_public"));
}

}  // namespace
}  // namespace stratus::api
