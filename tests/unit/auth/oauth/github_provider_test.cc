#include "auth/oauth/github_provider.h"

#include <gtest/gtest.h>

#include "auth/oauth/pkce.h"
#include "common/crypto.h"

namespace stratus::auth::oauth {
namespace {

// Trimmed from a real GET https://api.github.com/user answer.
constexpr std::string_view kGithubUser = R"({
  "login": "octocat", "id": 583231, "node_id": "MDQ6VXNlcjU4MzIzMQ==",
  "avatar_url": "https://avatars.githubusercontent.com/u/583231?v=4",
  "type": "User", "site_admin": false, "name": "The Octocat", "company": "@github",
  "blog": "https://github.blog", "location": "San Francisco",
  "email": "octocat@github.com", "hireable": null, "bio": null,
  "public_repos": 8, "followers": 9000, "created_at": "2011-01-25T18:44:36Z"
})";

TEST(GithubUser, TakesTheNumericIdAsSubject) {
  auto identity = parseGithubUser(kGithubUser);
  ASSERT_TRUE(identity) << identity.error().describe();
  EXPECT_EQ(identity->provider, "github");
  EXPECT_EQ(identity->subject, "583231");
  EXPECT_EQ(identity->name, "The Octocat");
  EXPECT_EQ(identity->email, "octocat@github.com");
  EXPECT_FALSE(identity->emailVerified);  // the public profile address proves nothing
}

TEST(GithubUser, FallsBackToTheLoginWithoutANameAndCopesWithNullEmail) {
  auto identity = parseGithubUser(R"({"login":"ghost","id":10137,"name":null,"email":null})");
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->subject, "10137");
  EXPECT_EQ(identity->name, "ghost");
  EXPECT_EQ(identity->email, "");
}

TEST(GithubUser, HandlesIdsBeyondThirtyTwoBits) {
  auto identity = parseGithubUser(R"({"login":"big","id":18446744073709551615})");
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->subject, "18446744073709551615");
}

TEST(GithubUser, AcceptsAnOpenIdUserinfoShape) {
  auto identity = parseGithubUser(
      R"({"sub":"user-7","email":"a@example.test","email_verified":true,"name":"A"})");
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->subject, "user-7");
  EXPECT_EQ(identity->email, "a@example.test");
  EXPECT_TRUE(identity->emailVerified);
  EXPECT_EQ(identity->name, "A");
  identity = parseGithubUser(R"({"sub":"u","email":"a@x.test","email_verified":"true"})");
  ASSERT_TRUE(identity);
  EXPECT_TRUE(identity->emailVerified);
  identity = parseGithubUser(R"({"sub":"u","email":"a@x.test","preferred_username":"au"})");
  ASSERT_TRUE(identity);
  EXPECT_FALSE(identity->emailVerified);
  EXPECT_EQ(identity->name, "au");
}

TEST(GithubUser, RefusesAnswersWithoutAUser) {
  for (std::string_view json :
       {R"({"login":"x"})", R"({"id":"583231"})", R"({"id":-1})", R"({"id":1.5})", R"({"sub":""})",
        "[]", "not json", R"({"message":"Bad credentials"})"}) {
    auto identity = parseGithubUser(json);
    ASSERT_FALSE(identity) << json;
    EXPECT_EQ(identity.error().code, "oauth_provider_unavailable");
  }
}

TEST(GithubEmails, TakesThePrimaryVerifiedAddress) {
  auto email = parseGithubEmails(R"([
    {"email":"old@example.test","primary":false,"verified":true,"visibility":null},
    {"email":"octocat@github.com","primary":true,"verified":true,"visibility":"public"},
    {"email":"unverified@example.test","primary":false,"verified":false,"visibility":null}
  ])");
  ASSERT_TRUE(email);
  EXPECT_EQ(*email, "octocat@github.com");
}

TEST(GithubEmails, NoneWhenThePrimaryIsNotVerified) {
  auto email = parseGithubEmails(R"([
    {"email":"primary@example.test","primary":true,"verified":false},
    {"email":"other@example.test","primary":false,"verified":true}
  ])");
  ASSERT_TRUE(email);
  EXPECT_FALSE(*email);
  email = parseGithubEmails("[]");
  ASSERT_TRUE(email);
  EXPECT_FALSE(*email);
  // "true" as a string is not GitHub's shape: not verified.
  email = parseGithubEmails(R"([{"email":"p@example.test","primary":true,"verified":"true"}])");
  ASSERT_TRUE(email);
  EXPECT_FALSE(*email);
}

TEST(GithubEmails, RefusesOtherShapes) {
  for (std::string_view json : {R"({"message":"Not Found"})", "nope", "\"x\""}) {
    auto email = parseGithubEmails(json);
    ASSERT_FALSE(email) << json;
    EXPECT_EQ(email.error().code, "oauth_provider_unavailable");
  }
}

GithubConfig validConfig() {
  GithubConfig config;
  config.clientId = "Iv1.abc";
  config.clientSecret = "secret";
  return config;
}

TEST(GithubProvider, ValidatesItsConfiguration) {
  EXPECT_TRUE(makeGithubProvider(validConfig()));
  auto noEmails = validConfig();
  noEmails.emailsUrl.clear();
  EXPECT_TRUE(makeGithubProvider(noEmails));

  std::vector<GithubConfig> bad(7, validConfig());
  bad[0].clientId.clear();
  bad[1].clientSecret.clear();
  bad[2].authorizeUrl = "github.com/login/oauth/authorize";
  bad[3].tokenUrl = "ftp://github.com/token";
  bad[4].userUrl = "";
  bad[5].emailsUrl = "javascript:alert(1)";
  bad[6].authorizeUrl = "https://github.com/login oauth";
  for (auto& config : bad) {
    auto provider = makeGithubProvider(std::move(config));
    ASSERT_FALSE(provider);
    EXPECT_EQ(provider.error().code, "oauth_config_invalid");
    EXPECT_EQ(provider.error().kind, ErrorKind::invalid_argument);
  }
}

TEST(GithubProvider, BuildsTheAuthorizationUrlWithStateAndPkce) {
  initCrypto();
  auto provider = makeGithubProvider(validConfig());
  ASSERT_TRUE(provider);
  EXPECT_EQ((*provider)->name(), "github");
  FlowState flow;
  auto url =
      (*provider)->authorizationUrl(flow, "https://stratus.test/api/v1/auth/oauth/github/callback");
  ASSERT_TRUE(url);
  EXPECT_GE(flow.state.size(), 32u);
  EXPECT_GE(flow.codeVerifier.size(), 43u);
  EXPECT_TRUE(flow.nonce.empty());
  EXPECT_EQ(*url,
            "https://github.com/login/oauth/authorize?response_type=code&client_id=Iv1.abc"
            "&redirect_uri=https%3A%2F%2Fstratus.test%2Fapi%2Fv1%2Fauth%2Foauth%2Fgithub%2Fcallback"
            "&scope=read%3Auser%20user%3Aemail&state=" +
                flow.state + "&code_challenge=" + codeChallengeS256(flow.codeVerifier) +
                "&code_challenge_method=S256");
  FlowState second;
  ASSERT_TRUE((*provider)->authorizationUrl(second, "https://stratus.test/cb"));
  EXPECT_NE(second.state, flow.state);
  EXPECT_NE(second.codeVerifier, flow.codeVerifier);
}

TEST(GithubProvider, AnUnreachableProviderIsUnavailable) {
  initCrypto();
  auto config = validConfig();
  config.tokenUrl = "http://127.0.0.1:1/login/oauth/access_token";  // nothing listens on port 1
  auto provider = makeGithubProvider(std::move(config));
  ASSERT_TRUE(provider);
  FlowState flow;
  auto identity = (*provider)->complete("code", flow, "https://stratus.test/cb");
  ASSERT_FALSE(identity);
  EXPECT_EQ(identity.error().code, "oauth_provider_unavailable");
  EXPECT_EQ(identity.error().kind, ErrorKind::unavailable);
  EXPECT_EQ((*provider)->complete("", flow, "https://stratus.test/cb").error().code,
            "oauth_exchange_failed");
}

}  // namespace
}  // namespace stratus::auth::oauth
