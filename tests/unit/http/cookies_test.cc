#include "http/cookies.h"

#include <gtest/gtest.h>

namespace stratus::http {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(ParseCookies, PairsInOrder) {
  EXPECT_EQ(parseCookies("sid=abc; theme=dark"), (Pairs{{"sid", "abc"}, {"theme", "dark"}}));
}

TEST(ParseCookies, LenientAboutJunk) {
  EXPECT_EQ(parseCookies(" a=1 ;;junk; =nameless; b=\"quoted\" ; c=; a=2;d=x=y"),
            (Pairs{{"a", "1"}, {"b", "quoted"}, {"c", ""}, {"a", "2"}, {"d", "x=y"}}));
  EXPECT_TRUE(parseCookies("").empty());
  EXPECT_TRUE(parseCookies(";;;").empty());
}

TEST(ParseCookies, NoDecoding) { EXPECT_EQ(parseCookies("a=%20b"), (Pairs{{"a", "%20b"}})); }

TEST(FindCookie, FirstMatch) {
  EXPECT_EQ(findCookie("a=1; sid=first; sid=second", "sid"), "first");
  EXPECT_FALSE(findCookie("a=1", "sid").has_value());
}

TEST(FormatSetCookie, Defaults) {
  SetCookie cookie{.name = "sid", .value = "abc"};
  EXPECT_EQ(formatSetCookie(cookie).value(), "sid=abc; Path=/; HttpOnly; SameSite=Lax");
}

TEST(FormatSetCookie, AllAttributes) {
  SetCookie cookie{.name = "sid",
                   .value = "v-1_2",
                   .path = "/api",
                   .domain = "example.com",
                   .maxAge = std::chrono::hours(1),
                   .httpOnly = true,
                   .secure = true,
                   .sameSite = SameSite::strict};
  EXPECT_EQ(formatSetCookie(cookie).value(),
            "sid=v-1_2; Path=/api; Domain=example.com; Max-Age=3600; HttpOnly; Secure; "
            "SameSite=Strict");
}

TEST(FormatSetCookie, DeletionAndNoneWithSecure) {
  SetCookie cookie{.name = "sid",
                   .value = "",
                   .maxAge = std::chrono::seconds(-5),
                   .httpOnly = false,
                   .secure = true,
                   .sameSite = SameSite::none};
  EXPECT_EQ(formatSetCookie(cookie).value(), "sid=; Path=/; Max-Age=0; Secure; SameSite=None");
}

TEST(FormatSetCookie, RejectsInjection) {
  EXPECT_FALSE(formatSetCookie({.name = "a b", .value = "x"}).has_value());
  EXPECT_FALSE(formatSetCookie({.name = "", .value = "x"}).has_value());
  EXPECT_FALSE(formatSetCookie({.name = "a", .value = "x; Domain=evil"}).has_value());
  EXPECT_FALSE(formatSetCookie({.name = "a", .value = "x\r\nSet-Cookie: b=1"}).has_value());
  EXPECT_FALSE(formatSetCookie({.name = "a", .value = "x", .path = "/;Secure"}).has_value());
  auto noneWithoutSecure = formatSetCookie({.name = "a", .value = "x", .sameSite = SameSite::none});
  ASSERT_FALSE(noneWithoutSecure.has_value());
  EXPECT_EQ(noneWithoutSecure.error().code, "invalid_cookie");
}

}  // namespace
}  // namespace stratus::http
