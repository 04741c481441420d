#include "auth/oauth/google_provider.h"

#include <gtest/gtest.h>

namespace stratus::auth::oauth {
namespace {

// Trimmed from https://accounts.google.com/.well-known/openid-configuration.
constexpr std::string_view kGoogleDiscovery = R"({
  "issuer": "https://accounts.google.com",
  "authorization_endpoint": "https://accounts.google.com/o/oauth2/v2/auth",
  "device_authorization_endpoint": "https://oauth2.googleapis.com/device/code",
  "token_endpoint": "https://oauth2.googleapis.com/token",
  "userinfo_endpoint": "https://openidconnect.googleapis.com/v1/userinfo",
  "revocation_endpoint": "https://oauth2.googleapis.com/revoke",
  "jwks_uri": "https://www.googleapis.com/oauth2/v3/certs",
  "response_types_supported": ["code", "token", "id_token", "code token", "code id_token",
                               "token id_token", "code token id_token", "none"],
  "subject_types_supported": ["public"],
  "id_token_signing_alg_values_supported": ["RS256"],
  "scopes_supported": ["openid", "email", "profile"],
  "code_challenge_methods_supported": ["plain", "S256"]
})";

TEST(OidcDiscovery, ReadsTheEndpoints) {
  auto discovery = parseDiscovery(kGoogleDiscovery, "https://accounts.google.com");
  ASSERT_TRUE(discovery) << discovery.error().describe();
  EXPECT_EQ(discovery->issuer, "https://accounts.google.com");
  EXPECT_EQ(discovery->authorizationEndpoint, "https://accounts.google.com/o/oauth2/v2/auth");
  EXPECT_EQ(discovery->tokenEndpoint, "https://oauth2.googleapis.com/token");
  EXPECT_EQ(discovery->jwksUri, "https://www.googleapis.com/oauth2/v3/certs");
}

TEST(OidcDiscovery, TheIssuerMustBeExactlyTheConfiguredOne) {
  for (std::string_view expected : {"https://accounts.google.com/", "https://evil.example.test",
                                    "http://accounts.google.com"}) {
    auto discovery = parseDiscovery(kGoogleDiscovery, expected);
    ASSERT_FALSE(discovery) << expected;
    EXPECT_EQ(discovery.error().code, "oauth_provider_unavailable");
    EXPECT_EQ(discovery.error().kind, ErrorKind::unavailable);
  }
}

TEST(OidcDiscovery, RefusesMissingOrDowngradedEndpoints) {
  const std::string issuer = "https://id.example.test";
  auto document = [&](std::string_view authorize, std::string_view token, std::string_view jwks) {
    return R"({"issuer":")" + issuer + R"(","authorization_endpoint":")" + std::string(authorize) +
           R"(","token_endpoint":")" + std::string(token) + R"(","jwks_uri":")" +
           std::string(jwks) + R"("})";
  };
  EXPECT_TRUE(parseDiscovery(document("https://id.example.test/a", "https://id.example.test/t",
                                      "https://id.example.test/k"),
                             issuer));
  EXPECT_FALSE(parseDiscovery(
      document("", "https://id.example.test/t", "https://id.example.test/k"), issuer));
  EXPECT_FALSE(parseDiscovery(document("https://id.example.test/a", "http://id.example.test/t",
                                       "https://id.example.test/k"),
                              issuer));
  EXPECT_FALSE(parseDiscovery(
      document("https://id.example.test/a", "https://id.example.test/t", "/relative/keys"),
      issuer));
  EXPECT_FALSE(parseDiscovery("[]", issuer));
  EXPECT_FALSE(parseDiscovery("<html>", issuer));
  // A plain-http issuer (a local test provider) may use plain-http endpoints.
  EXPECT_TRUE(parseDiscovery(
      R"({"issuer":"http://127.0.0.1:9","authorization_endpoint":"http://127.0.0.1:9/authorize",
          "token_endpoint":"http://127.0.0.1:9/token","jwks_uri":"http://127.0.0.1:9/jwks"})",
      "http://127.0.0.1:9"));
}

OidcConfig validConfig() {
  OidcConfig config;
  config.clientId = "123.apps.googleusercontent.com";
  config.clientSecret = "secret";
  return config;
}

TEST(OidcProvider, ValidatesItsConfiguration) {
  auto provider = makeOidcProvider(validConfig());
  ASSERT_TRUE(provider);
  EXPECT_EQ((*provider)->name(), "google");

  std::vector<OidcConfig> bad(5, validConfig());
  bad[0].clientId.clear();
  bad[1].clientSecret.clear();
  bad[2].issuer = "accounts.google.com";
  bad[3].issuer = "";
  bad[4].scope = "email profile";
  for (auto& config : bad) {
    auto made = makeOidcProvider(std::move(config));
    ASSERT_FALSE(made);
    EXPECT_EQ(made.error().code, "oauth_config_invalid");
  }
}

TEST(OidcProvider, AnUnreachableIssuerIsUnavailable) {
  auto config = validConfig();
  config.issuer = "http://127.0.0.1:1";  // nothing listens on port 1
  auto provider = makeOidcProvider(std::move(config));
  ASSERT_TRUE(provider);
  FlowState flow;
  auto url = (*provider)->authorizationUrl(flow, "https://stratus.test/cb");
  ASSERT_FALSE(url);
  EXPECT_EQ(url.error().code, "oauth_provider_unavailable");
  auto identity = (*provider)->complete("code", flow, "https://stratus.test/cb");
  ASSERT_FALSE(identity);
  EXPECT_EQ(identity.error().code, "oauth_provider_unavailable");
}

}  // namespace
}  // namespace stratus::auth::oauth
