#include "store/env_json.h"

#include <gtest/gtest.h>

namespace stratus::store {
namespace {

TEST(EnvJson, RoundTripsAwkwardValues) {
  const std::map<std::string, std::string> env = {{"QUOTE", "say \"hi\""},
                                                  {"NEWLINE", "a\nb"},
                                                  {"EMPTY", ""},
                                                  {"UNICODE", "\xc3\xa9t\xc3\xa9"}};
  auto decoded = decodeEnv(encodeEnv(env));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, env);
}

TEST(EnvJson, EmptyIsAnEmptyObject) {
  EXPECT_EQ(encodeEnv({}), "{}");
  EXPECT_TRUE(decodeEnv("{}")->empty());
}

TEST(EnvJson, RejectsWhatThisStoreNeverWrites) {
  for (const char* text : {"", "[]", "{\"A\": 1}", "{\"A\": null}", "{", "\"x\""}) {
    auto decoded = decodeEnv(text);
    ASSERT_FALSE(decoded) << text;
    EXPECT_EQ(decoded.error().kind, ErrorKind::internal);
  }
}

}  // namespace
}  // namespace stratus::store
