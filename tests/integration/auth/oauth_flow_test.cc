// Whole sign-in flows against a real OpenID provider on 127.0.0.1 (testing/oauth_provider.h):
// the authorization URL is followed as a browser would, the code comes back on the redirect,
// and complete() exchanges it over HTTP and validates the signed ID token. Each way a
// provider's answer can be wrong is produced by the provider itself, so the checks are tested
// against real tokens, not hand-made ones. Skips with the reason when node or the fixture's
// packages are missing.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "auth/oauth/flow_cookie.h"
#include "auth/oauth/github_provider.h"
#include "auth/oauth/google_provider.h"
#include "auth/oauth/pkce.h"
#include "common/crypto.h"
#include "testing/oauth_provider.h"

namespace stratus::auth::oauth {
namespace {

using testing::OAuthProviderFixture;

constexpr std::string_view kClientId = "stratus-test-client";
constexpr std::string_view kRedirect = "http://127.0.0.1:9/api/v1/auth/oauth/google/callback";
const std::string kFlowKey(32, 'f');

class OAuthFlowTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    initCrypto();
    if (!OAuthProviderFixture::available()) return;
    auto started = OAuthProviderFixture::start();
    if (started)
      provider_ = started->release();
    else
      startError_ = new std::string(started.error().describe());
  }
  static void TearDownTestSuite() {
    delete provider_;
    provider_ = nullptr;
    delete startError_;
    startError_ = nullptr;
  }
  void SetUp() override {
    if (!OAuthProviderFixture::available())
      GTEST_SKIP() << "skipped: " << OAuthProviderFixture::skipReason();
    ASSERT_NE(provider_, nullptr) << (startError_ ? *startError_ : "");
  }

  static OAuthProviderFixture& fixture() { return *provider_; }

  static OAuthProviderPtr oidc() {
    OidcConfig config;
    config.clientId = std::string(kClientId);
    config.clientSecret = "test-secret";
    config.issuer = fixture().issuer();
    auto made = makeOidcProvider(std::move(config));
    EXPECT_TRUE(made) << made.error().describe();
    return std::move(*made);
  }

  static OAuthProviderPtr githubStyle() {
    GithubConfig config;
    config.clientId = std::string(kClientId);
    config.clientSecret = "test-secret";
    config.authorizeUrl = fixture().authorizeUrl();
    config.tokenUrl = fixture().tokenUrl();
    config.userUrl = fixture().userinfoUrl();  // an OpenID userinfo answer stands in
    config.emailsUrl.clear();
    auto made = makeGithubProvider(std::move(config));
    EXPECT_TRUE(made) << made.error().describe();
    return std::move(*made);
  }

  // start -> the provider -> callback, the way the routes and the browser do it (the flow
  // travels through its sealed cookie), then the code exchange.
  static Result<ExternalIdentity> signIn(OAuthProvider& provider) {
    FlowState started;
    started.provider = std::string(provider.name());
    started.expiresAtMs = 4'000'000'000'000;
    auto url = provider.authorizationUrl(started, kRedirect);
    if (!url) return std::unexpected(url.error());
    auto cookie = sealFlow(started, kFlowKey);

    auto location = fixture().followAuthorize(*url);
    if (!location) return std::unexpected(location.error());
    EXPECT_TRUE(location->starts_with(std::string(kRedirect) + "?")) << *location;
    auto code = OAuthProviderFixture::queryParam(*location, "code");
    auto state = OAuthProviderFixture::queryParam(*location, "state");
    EXPECT_TRUE(code && !code->empty()) << *location;
    EXPECT_EQ(state, started.state);

    auto flow = openFlow(cookie, kFlowKey, 0);
    if (!flow) return std::unexpected(flow.error());
    return provider.complete(code.value_or(""), *flow, kRedirect);
  }

  static void expectRefused(std::string_view tamper, std::string_view code) {
    ASSERT_TRUE(fixture().setNext({{"sub", "user-9"}, {"tamper", tamper}}));
    auto provider = oidc();
    auto identity = signIn(*provider);
    ASSERT_FALSE(identity) << "accepted a token with tamper " << tamper;
    EXPECT_EQ(identity.error().code, code) << identity.error().describe();
    EXPECT_EQ(identity.error().kind, ErrorKind::unauthorized);
  }

  static OAuthProviderFixture* provider_;
  static std::string* startError_;
};

OAuthProviderFixture* OAuthFlowTest::provider_ = nullptr;
std::string* OAuthFlowTest::startError_ = nullptr;

TEST_F(OAuthFlowTest, OidcSignInReturnsTheProvidersUser) {
  ASSERT_TRUE(fixture().setNext({{"sub", "oidc-user-1"},
                                 {"email", "ada@example.test"},
                                 {"email_verified", true},
                                 {"name", "Ada Lovelace"}}));
  auto provider = oidc();
  auto identity = signIn(*provider);
  ASSERT_TRUE(identity) << identity.error().describe();
  EXPECT_EQ(identity->provider, "google");
  EXPECT_EQ(identity->subject, "oidc-user-1");
  EXPECT_EQ(identity->email, "ada@example.test");
  EXPECT_TRUE(identity->emailVerified);
  EXPECT_EQ(identity->name, "Ada Lovelace");

  // The provider caches discovery and keys: a second sign-in on the same instance works too.
  ASSERT_TRUE(fixture().setNext({{"sub", "oidc-user-2"}, {"email", "b@example.test"}}));
  identity = signIn(*provider);
  ASSERT_TRUE(identity) << identity.error().describe();
  EXPECT_EQ(identity->subject, "oidc-user-2");
}

TEST_F(OAuthFlowTest, OneProviderServesConcurrentSignIns) {
  // complete() runs on worker threads: the first sign-ins race to fill the discovery and key
  // caches. (Run under the sanitizer build, this is the provider's thread-safety check.)
  ASSERT_TRUE(fixture().setNext({{"sub", "oidc-user-5"}, {"email", "c@example.test"}}));
  auto provider = oidc();
  std::atomic<int> succeeded = 0;
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i) {
    workers.emplace_back([&] {
      for (int round = 0; round < 3; ++round) {
        auto identity = signIn(*provider);
        if (identity && identity->subject == "oidc-user-5")
          ++succeeded;
        else if (!identity)
          ADD_FAILURE() << identity.error().describe();
      }
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(succeeded, 12);
}

TEST_F(OAuthFlowTest, OidcUnverifiedEmailIsReportedAsSuch) {
  ASSERT_TRUE(fixture().setNext(
      {{"sub", "oidc-user-3"}, {"email", "unverified@example.test"}, {"email_verified", false}}));
  auto provider = oidc();
  auto identity = signIn(*provider);
  ASSERT_TRUE(identity) << identity.error().describe();
  EXPECT_EQ(identity->email, "unverified@example.test");
  EXPECT_FALSE(identity->emailVerified);
}

TEST_F(OAuthFlowTest, OidcRefusesATokenForAnotherClient) {
  expectRefused("wrong_audience", "id_token_wrong_audience");
}

TEST_F(OAuthFlowTest, OidcRefusesAnExpiredToken) { expectRefused("expired", "id_token_expired"); }

TEST_F(OAuthFlowTest, OidcRefusesABadSignature) {
  expectRefused("bad_signature", "id_token_bad_signature");
}

TEST_F(OAuthFlowTest, OidcRefusesAnotherIssuer) {
  expectRefused("wrong_issuer", "id_token_wrong_issuer");
}

TEST_F(OAuthFlowTest, OidcRefusesAnotherSignInsNonce) {
  expectRefused("wrong_nonce", "id_token_nonce_mismatch");
}

TEST_F(OAuthFlowTest, ACodeRedeemedWithoutTheFlowsVerifierIsRefused) {
  ASSERT_TRUE(fixture().setNext({{"sub", "oidc-user-4"}}));
  auto provider = oidc();
  FlowState flow;
  auto url = provider->authorizationUrl(flow, kRedirect);
  ASSERT_TRUE(url) << url.error().describe();
  auto location = fixture().followAuthorize(*url);
  ASSERT_TRUE(location) << location.error().describe();
  auto code = OAuthProviderFixture::queryParam(*location, "code");
  ASSERT_TRUE(code);
  FlowState stolen = flow;  // the code, but another browser's verifier
  stolen.codeVerifier = newCodeVerifier();
  auto identity = provider->complete(*code, stolen, kRedirect);
  ASSERT_FALSE(identity);
  EXPECT_EQ(identity.error().code, "oauth_exchange_failed") << identity.error().describe();
}

TEST_F(OAuthFlowTest, GithubStyleSignInReadsTheUserEndpoint) {
  ASSERT_TRUE(fixture().setNext({{"sub", "gh-user-1"},
                                 {"email", "octo@example.test"},
                                 {"email_verified", true},
                                 {"name", "Octo Cat"}}));
  auto provider = githubStyle();
  auto identity = signIn(*provider);
  ASSERT_TRUE(identity) << identity.error().describe();
  EXPECT_EQ(identity->provider, "github");
  EXPECT_EQ(identity->subject, "gh-user-1");
  EXPECT_EQ(identity->email, "octo@example.test");
  EXPECT_TRUE(identity->emailVerified);
  EXPECT_EQ(identity->name, "Octo Cat");
}

TEST_F(OAuthFlowTest, GithubStyleUnverifiedEmailIsReportedAsSuch) {
  ASSERT_TRUE(fixture().setNext(
      {{"sub", "gh-user-2"}, {"email", "new@example.test"}, {"email_verified", false}}));
  auto provider = githubStyle();
  auto identity = signIn(*provider);
  ASSERT_TRUE(identity) << identity.error().describe();
  EXPECT_EQ(identity->email, "new@example.test");
  EXPECT_FALSE(identity->emailVerified);
}

TEST_F(OAuthFlowTest, TheControlEndpointRefusesUnknownTampering) {
  auto refused = fixture().setNext({{"tamper", "something_else"}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "control_refused");
}

}  // namespace
}  // namespace stratus::auth::oauth
