// Sign-in with GitHub and Google through the real server, against a real local OAuth 2 /
// OpenID Connect provider (testing/oauth_provider.h): the browser's redirects are followed
// by hand with a cookie jar, as a browser would. Covers account creation and linking, and
// the refusals: forged state, another browser's callback, unverified provider emails, and
// ID tokens with a wrong audience, an expiry in the past or a broken signature.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "client/http_client.h"
#include "support/storage.h"
#include "support/server_process.h"
#include "testing/oauth_provider.h"

namespace stratus::e2e {
namespace {

using stratus::testing::OAuthProviderFixture;

std::string errorCode(const client::ClientResponse& response) {
  boost::system::error_code ec;
  auto value = boost::json::parse(response.body, ec);
  if (ec || !value.is_object() || !value.as_object().contains("error")) return "<none>";
  return std::string(value.at("error").at("code").as_string());
}

class OAuthSignIn : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!OAuthProviderFixture::available()) return;
    auto started = OAuthProviderFixture::start();
    if (!started) return;
    provider_ = started->release();
    const std::string issuer = provider_->issuer();
    server_ = ServerProcess::start(
                  {"--require-verified-email=true"},
                  {"GOOGLE_CLIENT_ID=stratus-google", "GOOGLE_CLIENT_SECRET=google-secret",
                   "GOOGLE_ISSUER=" + issuer, "GITHUB_CLIENT_ID=stratus-github",
                   "GITHUB_CLIENT_SECRET=github-secret",
                   "GITHUB_AUTHORIZE_URL=" + provider_->authorizeUrl(),
                   "GITHUB_TOKEN_URL=" + provider_->tokenUrl(),
                   "GITHUB_USER_URL=" + provider_->userinfoUrl(), "GITHUB_EMAILS_URL=none"})
                  .release();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete provider_;
    server_ = nullptr;
    provider_ = nullptr;
  }
  void SetUp() override {
    if (!OAuthProviderFixture::available())
      GTEST_SKIP() << "skipped: " << OAuthProviderFixture::skipReason();
    ASSERT_NE(provider_, nullptr) << "the identity provider did not start";
    ASSERT_NE(server_, nullptr) << "the stratus server did not start";
  }

  static client::HttpClient browser() {
    client::HttpClient http(server_->url());
    http.setCookieJar(true);
    return http;
  }

  // Start -> provider -> the callback URL the provider sends the browser back to.
  static std::string toCallback(client::HttpClient& http, const std::string& provider,
                                const std::string& returnTo = "") {
    std::string start = "/api/v1/auth/oauth/" + provider + "/start";
    if (!returnTo.empty()) start += "?returnTo=" + returnTo;
    auto started = http.get(start);
    EXPECT_TRUE(started);
    EXPECT_EQ(started->status, 302) << started->body;
    auto location = started->header("location");
    EXPECT_TRUE(location);
    if (!location) return {};
    auto callback = provider_->followAuthorize(std::string(*location));
    EXPECT_TRUE(callback) << callback.error().describe();
    return callback ? *callback : std::string();
  }

  static void next(boost::json::object identity) { ASSERT_TRUE(provider_->setNext(identity)); }

  static std::string meEmail(client::HttpClient& http) {
    auto me = http.get("/api/v1/auth/me");
    if (!me || me->status != 200) return "<signed out>";
    return std::string(boost::json::parse(me->body).at("user").at("email").as_string());
  }
  static std::string meId(client::HttpClient& http) {
    auto me = http.get("/api/v1/auth/me");
    if (!me || me->status != 200) return "<signed out>";
    return std::string(boost::json::parse(me->body).at("user").at("id").as_string());
  }

  static OAuthProviderFixture* provider_;
  static ServerProcess* server_;
};
OAuthProviderFixture* OAuthSignIn::provider_ = nullptr;
ServerProcess* OAuthSignIn::server_ = nullptr;

TEST_F(OAuthSignIn, ProvidersAreListed) {
  client::HttpClient http(server_->url());
  auto listed = http.get("/api/v1/auth/providers");
  ASSERT_EQ(listed->status, 200);
  EXPECT_NE(listed->body.find("\"github\""), std::string::npos);
  EXPECT_NE(listed->body.find("\"google\""), std::string::npos);
}

TEST_F(OAuthSignIn, GoogleCreatesAVerifiedAccountAndSignsIn) {
  auto http = browser();
  next({{"sub", "g-100"}, {"email", "grace@example.com"}, {"email_verified", true}, {"name", "Grace"}});
  std::string callback = toCallback(http, "google", "/functions");
  ASSERT_NE(callback.find("/api/v1/auth/oauth/google/callback?"), std::string::npos) << callback;
  auto done = http.get(callback);
  ASSERT_EQ(done->status, 302) << done->body;
  EXPECT_EQ(done->header("location"), "/functions");
  EXPECT_EQ(meEmail(http), "grace@example.com");
  auto me = boost::json::parse(http.get("/api/v1/auth/me")->body);
  EXPECT_EQ(me.at("user").at("emailVerified"), true);
  // A verified account can make keys at once.
  EXPECT_EQ(http.postJson("/api/v1/api-keys", {{"name", "k"}})->status, 201);

  // Signing in again finds the same account.
  auto again = browser();
  next({{"sub", "g-100"}, {"email", "grace@example.com"}, {"email_verified", true}});
  ASSERT_EQ(again.get(toCallback(again, "google"))->status, 302);
  EXPECT_EQ(meId(again), meId(http));
}

TEST_F(OAuthSignIn, GithubLinksToTheAccountWithTheSameVerifiedEmail) {
  // A password account, verified through its mail.
  auto owner = browser();
  const std::string email = "linus@example.com";
  ASSERT_EQ(owner.postJson("/api/v1/auth/signup", {{"email", email}, {"password", "correct horse battery"}})->status, 202);
  std::string token = tokenFromOutbox(*server_, email, "/verify");
  ASSERT_FALSE(token.empty());
  ASSERT_EQ(owner.postJson("/api/v1/auth/verify", {{"token", token}})->status, 200);
  ASSERT_EQ(owner.postJson("/api/v1/auth/signin", {{"email", email}, {"password", "correct horse battery"}})->status, 200);

  auto http = browser();
  next({{"sub", "gh-7"}, {"email", email}, {"email_verified", true}});
  auto done = http.get(toCallback(http, "github"));
  ASSERT_EQ(done->status, 302) << done->body;
  EXPECT_EQ(meId(http), meId(owner)) << "linked, not a second account";
  // The password still works for a verified account.
  EXPECT_EQ(owner.postJson("/api/v1/auth/signin", {{"email", email}, {"password", "correct horse battery"}})->status, 200);
}

TEST_F(OAuthSignIn, AnUnverifiedProviderEmailNeverTakesOverAnAccount) {
  auto owner = browser();
  const std::string email = "victim@example.com";
  ASSERT_EQ(owner.postJson("/api/v1/auth/signup", {{"email", email}, {"password", "correct horse battery"}})->status, 202);

  auto attacker = browser();
  next({{"sub", "gh-evil"}, {"email", email}, {"email_verified", false}});
  auto refused = attacker.get(toCallback(attacker, "github"));
  EXPECT_EQ(refused->status, 403) << refused->body;
  EXPECT_EQ(errorCode(*refused), "provider_email_unverified");
  EXPECT_EQ(meEmail(attacker), "<signed out>");
}

TEST_F(OAuthSignIn, AForgedStateIsRefused) {
  auto http = browser();
  next({{"sub", "g-200"}, {"email", "forged@example.com"}, {"email_verified", true}});
  std::string callback = toCallback(http, "google");
  auto state = OAuthProviderFixture::queryParam(callback, "state");
  ASSERT_TRUE(state);
  std::string forged = callback;
  forged.replace(forged.find("state=") + 6, state->size(), "forged-state-value");
  auto refused = http.get(forged);
  EXPECT_EQ(refused->status, 403);
  EXPECT_EQ(errorCode(*refused), "oauth_state_mismatch");
  EXPECT_EQ(meEmail(http), "<signed out>");
}

TEST_F(OAuthSignIn, ACallbackFromAnotherBrowserIsRefused) {
  auto victim = browser();
  next({{"sub", "g-300"}, {"email", "mallory@example.com"}, {"email_verified", true}});
  // The attacker's own flow, whose callback they try to plant in someone else's browser.
  auto attacker = browser();
  std::string callback = toCallback(attacker, "google");
  auto refused = victim.get(callback);
  EXPECT_EQ(refused->status, 403);
  EXPECT_EQ(errorCode(*refused), "oauth_state_mismatch");
  EXPECT_EQ(meEmail(victim), "<signed out>");
}

TEST_F(OAuthSignIn, BadIdTokensAreRefused) {
  for (auto [tamper, code] : std::initializer_list<std::pair<const char*, const char*>>{
           {"wrong_audience", "id_token_wrong_audience"},
           {"expired", "id_token_expired"},
           {"bad_signature", "id_token_bad_signature"},
           {"wrong_issuer", "id_token_wrong_issuer"},
           {"wrong_nonce", "id_token_nonce_mismatch"}}) {
    SCOPED_TRACE(tamper);
    auto http = browser();
    next({{"sub", "g-400"}, {"email", "tampered@example.com"}, {"email_verified", true},
          {"tamper", tamper}});
    auto refused = http.get(toCallback(http, "google"));
    EXPECT_EQ(refused->status, 401) << refused->body;
    EXPECT_EQ(errorCode(*refused), code);
    EXPECT_EQ(meEmail(http), "<signed out>");
  }
  // None of them made an account (read from the server's own database).
  auto db = openServerStore(*server_);
  ASSERT_TRUE(db) << db.error().describe();
  EXPECT_EQ((*db)->userByEmail("tampered@example.com").error().kind, ErrorKind::not_found);
}

TEST_F(OAuthSignIn, ReturnToStaysOnThisSite) {
  auto http = browser();
  next({{"sub", "g-500"}, {"email", "redirect@example.com"}, {"email_verified", true}});
  auto done = http.get(toCallback(http, "google", "//evil.example/steal"));
  ASSERT_EQ(done->status, 302);
  EXPECT_EQ(done->header("location"), "/");
}

TEST_F(OAuthSignIn, UnknownProviderIs404) {
  client::HttpClient http(server_->url());
  auto missing = http.get("/api/v1/auth/oauth/myspace/start");
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(errorCode(*missing), "unknown_provider");
}

}  // namespace
}  // namespace stratus::e2e
