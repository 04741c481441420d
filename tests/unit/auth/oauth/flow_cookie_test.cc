#include "auth/oauth/flow_cookie.h"

#include <gtest/gtest.h>

#include "auth/oauth/base64url.h"
#include "common/crypto.h"

namespace stratus::auth::oauth {
namespace {

const std::string kKey(32, 'k');
constexpr int64_t kNow = 1'700'000'000'000;

FlowState sampleFlow() {
  return FlowState{"google",         "state-value",         "nonce-value",
                   "verifier-value", "/functions?tab=logs", kNow + 600'000};
}

void expectRefused(const Result<FlowState>& opened, std::string_view code) {
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, code);
  EXPECT_EQ(opened.error().kind, ErrorKind::forbidden);
}

TEST(FlowCookie, RoundTripsEveryField) {
  initCrypto();
  std::string sealed = sealFlow(sampleFlow(), kKey);
  auto opened = openFlow(sealed, kKey, kNow);
  ASSERT_TRUE(opened) << opened.error().describe();
  EXPECT_EQ(opened->provider, "google");
  EXPECT_EQ(opened->state, "state-value");
  EXPECT_EQ(opened->nonce, "nonce-value");
  EXPECT_EQ(opened->codeVerifier, "verifier-value");
  EXPECT_EQ(opened->returnTo, "/functions?tab=logs");
  EXPECT_EQ(opened->expiresAtMs, kNow + 600'000);
}

TEST(FlowCookie, IsCookieSafeUnreadableAndFreshEachTime) {
  initCrypto();
  std::string sealed = sealFlow(sampleFlow(), kKey);
  EXPECT_EQ(
      sealed.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  auto raw = base64UrlDecode(sealed);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->find("verifier-value"), std::string::npos);
  EXPECT_EQ(raw->find("nonce-value"), std::string::npos);
  EXPECT_NE(sealFlow(sampleFlow(), kKey), sealed);  // random nonce per seal
}

TEST(FlowCookie, RefusesAnyChangedByte) {
  initCrypto();
  std::string sealed = sealFlow(sampleFlow(), kKey);
  auto raw = *base64UrlDecode(sealed);
  for (std::size_t i = 0; i < raw.size(); i += 5) {
    std::string tampered = raw;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    expectRefused(openFlow(base64UrlEncode(tampered), kKey, kNow), "oauth_flow_invalid");
  }
  expectRefused(openFlow(sealed.substr(0, sealed.size() - 4), kKey, kNow), "oauth_flow_invalid");
}

TEST(FlowCookie, RefusesAnotherKeyAndGarbage) {
  initCrypto();
  std::string sealed = sealFlow(sampleFlow(), kKey);
  expectRefused(openFlow(sealed, std::string(32, 'x'), kNow), "oauth_flow_invalid");
  expectRefused(openFlow("", kKey, kNow), "oauth_flow_invalid");
  expectRefused(openFlow("not base64!", kKey, kNow), "oauth_flow_invalid");
  expectRefused(openFlow(base64UrlEncode("short"), kKey, kNow), "oauth_flow_invalid");
  expectRefused(openFlow(std::string(5000, 'A'), kKey, kNow), "oauth_flow_invalid");
}

TEST(FlowCookie, RefusesAnExpiredFlow) {
  initCrypto();
  std::string sealed = sealFlow(sampleFlow(), kKey);
  EXPECT_TRUE(openFlow(sealed, kKey, kNow + 599'999));
  expectRefused(openFlow(sealed, kKey, kNow + 600'000), "oauth_flow_expired");
  expectRefused(openFlow(sealed, kKey, kNow + 3'600'000), "oauth_flow_expired");
}

TEST(FlowCookieDeathTest, AKeyOfTheWrongSizeIsAProgrammingError) {
  initCrypto();
  EXPECT_DEATH((void)sealFlow(sampleFlow(), "short"), "not 32 bytes");
}

}  // namespace
}  // namespace stratus::auth::oauth
