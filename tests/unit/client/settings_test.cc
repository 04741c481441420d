#include "client/settings.h"

#include <gtest/gtest.h>

#include <map>

namespace stratus::client {
namespace {

EnvLookup fakeEnv(std::map<std::string, std::string> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    auto it = values.find(std::string(name));
    if (it == values.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
}

TEST(ResolveSettings, DefaultsWithNothingSet) {
  auto settings = resolveSettings({}, fakeEnv({}));
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->url, "http://127.0.0.1:8080");
  EXPECT_EQ(settings->apiKey, "");
}

TEST(ResolveSettings, EnvironmentOverDefaults) {
  auto settings = resolveSettings(
      {}, fakeEnv({{"STRATUS_URL", "https://fn.example.com/"}, {"STRATUS_API_KEY", "k1"}}));
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->url, "https://fn.example.com");
  EXPECT_EQ(settings->apiKey, "k1");
}

TEST(ResolveSettings, FlagsOverEnvironment) {
  auto settings =
      resolveSettings({"http://flag:1", "k2"},
                      fakeEnv({{"STRATUS_URL", "https://env"}, {"STRATUS_API_KEY", "k1"}}));
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->url, "http://flag:1");
  EXPECT_EQ(settings->apiKey, "k2");
}

TEST(ResolveSettings, EmptyValuesCountAsUnset) {
  auto settings = resolveSettings({"", ""}, fakeEnv({{"STRATUS_URL", ""}}));
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->url, "http://127.0.0.1:8080");
}

TEST(ResolveSettings, RejectsANonHttpUrlNamingItsSource) {
  auto fromFlag = resolveSettings({"localhost:8080", ""}, fakeEnv({}));
  ASSERT_FALSE(fromFlag);
  EXPECT_EQ(fromFlag.error().code, "invalid_url");
  EXPECT_NE(fromFlag.error().message.find("--url"), std::string::npos);
  auto fromEnv = resolveSettings({}, fakeEnv({{"STRATUS_URL", "ftp://x"}}));
  ASSERT_FALSE(fromEnv);
  EXPECT_NE(fromEnv.error().message.find("STRATUS_URL"), std::string::npos);
}

TEST(ResolveSettings, NeverEchoesUrlCredentials) {
  auto settings = resolveSettings({"gopher://u:secret@h", ""}, fakeEnv({}));
  ASSERT_FALSE(settings);
  EXPECT_EQ(settings.error().message.find("secret"), std::string::npos);
}

TEST(PasswordFromFlagOrEnv, FlagThenEnvThenAsk) {
  EXPECT_EQ(passwordFromFlagOrEnv("p1", fakeEnv({{"STRATUS_PASSWORD", "p2"}})), "p1");
  EXPECT_EQ(passwordFromFlagOrEnv("", fakeEnv({{"STRATUS_PASSWORD", "p2"}})), "p2");
  EXPECT_EQ(passwordFromFlagOrEnv("", fakeEnv({})), std::nullopt);
}

TEST(ProcessEnvironment, ReadsRealVariablesAndTreatsEmptyAsUnset) {
  ::setenv("STRATUS_TEST_SETTINGS_VAR", "x", 1);
  EXPECT_EQ(processEnvironment()("STRATUS_TEST_SETTINGS_VAR"), "x");
  ::setenv("STRATUS_TEST_SETTINGS_VAR", "", 1);
  EXPECT_EQ(processEnvironment()("STRATUS_TEST_SETTINGS_VAR"), std::nullopt);
  ::unsetenv("STRATUS_TEST_SETTINGS_VAR");
  EXPECT_EQ(processEnvironment()("STRATUS_TEST_SETTINGS_VAR"), std::nullopt);
}

}  // namespace
}  // namespace stratus::client
