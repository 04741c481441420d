#include "http/security_headers.h"

#include <gtest/gtest.h>

namespace stratus::http {
namespace {

TEST(SecurityHeaders, HtmlGetsThePolicyFramingAndReferrerRules) {
  auto response = Response::text(200, "<p>hi</p>", "text/html; charset=utf-8");
  addSecurityHeaders(response);
  EXPECT_EQ(response.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(response.header("Referrer-Policy"), "same-origin");
  EXPECT_EQ(response.header("X-Frame-Options"), "DENY");
  auto csp = response.header("Content-Security-Policy");
  ASSERT_TRUE(csp);
  EXPECT_NE(csp->find("frame-ancestors 'none'"), std::string_view::npos);
  EXPECT_NE(csp->find("script-src 'self'"), std::string_view::npos);
  EXPECT_EQ(csp->find("unsafe-eval"), std::string_view::npos);
}

TEST(SecurityHeaders, JsonGetsNosniffButNoPagePolicy) {
  auto response = Response::json(200, boost::json::object{{"ok", true}});
  addSecurityHeaders(response);
  EXPECT_EQ(response.header("X-Content-Type-Options"), "nosniff");
  EXPECT_FALSE(response.header("Content-Security-Policy"));
  EXPECT_FALSE(response.header("X-Frame-Options"));
}

TEST(SecurityHeaders, AHeaderTheHandlerSetIsKept) {
  auto response = Response::text(200, "<p>hi</p>", "text/html");
  response.setHeader("Content-Security-Policy", "default-src 'none'");
  addSecurityHeaders(response);
  EXPECT_EQ(response.header("Content-Security-Policy"), "default-src 'none'");
}

}  // namespace
}  // namespace stratus::http
