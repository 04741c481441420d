#include "auth/oauth/provider_http.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace stratus::auth::oauth {
namespace {

TEST(ProviderHttp, AppendsAnEncodedQuery) {
  EXPECT_EQ(
      withQuery("https://id.test/auth", {{"a", "1"}, {"redirect_uri", "https://x.test/cb?y=1"}}),
      "https://id.test/auth?a=1&redirect_uri=https%3A%2F%2Fx.test%2Fcb%3Fy%3D1");
  EXPECT_EQ(withQuery("https://id.test/auth?tenant=t", {{"scope", "openid email"}}),
            "https://id.test/auth?tenant=t&scope=openid%20email");
  EXPECT_EQ(withQuery("https://id.test/auth", {}), "https://id.test/auth");
}

TEST(ProviderHttp, BuildsAFormBody) {
  EXPECT_EQ(formBody({{"code", "a&b=c"}, {"client_secret", "s+/ "}}),
            "code=a%26b%3Dc&client_secret=s%2B%2F%20");
  EXPECT_EQ(formBody({}), "");
}

TEST(ProviderHttp, ReadsTheTokenOrTheRefusal) {
  auto token = tokenField(boost::json::parse(R"({"access_token":"gho_x","token_type":"bearer"})"),
                          "access_token");
  ASSERT_TRUE(token);
  EXPECT_EQ(*token, "gho_x");

  // GitHub refuses a used or wrong code with 200 and an error body.
  auto refused = tokenField(boost::json::parse(R"({"error":"bad_verification_code",
        "error_description":"The code passed is incorrect or expired.",
        "error_uri":"https://docs.github.com/apps/troubleshooting"})"),
                            "access_token");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "oauth_exchange_failed");
  EXPECT_EQ(refused.error().kind, ErrorKind::unauthorized);
  EXPECT_NE(refused.error().message.find("bad_verification_code"), std::string::npos);

  auto missing = tokenField(boost::json::parse(R"({"access_token":"x"})"), "id_token");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "oauth_exchange_failed");
  auto notObject = tokenField(boost::json::parse("[1]"), "id_token");
  ASSERT_FALSE(notObject);
  EXPECT_EQ(notObject.error().code, "oauth_provider_unavailable");
}

TEST(ProviderHttp, AcceptsOnlyPlainHttpUrls) {
  EXPECT_TRUE(isProviderUrl("https://github.com/login/oauth/authorize"));
  EXPECT_TRUE(isProviderUrl("http://127.0.0.1:8080/token"));
  EXPECT_FALSE(isProviderUrl("file:///etc/passwd"));
  EXPECT_FALSE(isProviderUrl("https://"));
  EXPECT_FALSE(isProviderUrl("https:///path"));
  EXPECT_FALSE(isProviderUrl("https://a.test/x y"));
  EXPECT_FALSE(isProviderUrl("https://a.test/x\r\nSet-Cookie: a=b"));
  EXPECT_FALSE(isProviderUrl("https://a.test/x#frag"));
}

}  // namespace
}  // namespace stratus::auth::oauth
