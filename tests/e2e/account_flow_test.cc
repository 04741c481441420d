// The account flows of issue 3 against the real server and a real SMTP server (Debian's
// aiosmtpd): verification and reset mails arrive, their links complete the flows, used and
// expired links are refused, and each protection holds.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "client/http_client.h"
#include "client/response.h"
#include "common/crypto.h"
#include "support/storage.h"
#include "support/server_process.h"
#include "testing/smtp_server.h"

namespace stratus::e2e {
namespace {

using stratus::testing::SmtpServer;
constexpr const char* kPassword = "correct horse battery";

boost::json::value jsonOf(const client::ClientResponse& response) {
  boost::system::error_code ec;
  auto value = boost::json::parse(response.body, ec);
  return ec ? boost::json::value() : value;
}

std::string errorCode(const client::ClientResponse& response) {
  auto value = jsonOf(response);
  if (!value.is_object() || !value.as_object().contains("error")) return "<no error>";
  return std::string(value.at("error").at("code").as_string());
}

std::string cookieValue(const client::HttpClient& http, const std::string& name) {
  for (const auto& [key, value] : http.cookies())
    if (key == name) return value;
  return {};
}

class AccountFlow : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!SmtpServer::available()) return;
    smtp_ = new SmtpServer();
    server_ = ServerProcess::start({"--smtp-url", smtp_->url(), "--smtp-tls", "optional",
                                    "--email-from", "Stratus Test <stratus@example.com>"})
                  .release();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete smtp_;
    server_ = nullptr;
    smtp_ = nullptr;
  }
  void SetUp() override {
    if (!SmtpServer::available()) GTEST_SKIP() << SmtpServer::skipReason();
    ASSERT_NE(server_, nullptr) << "the stratus server did not start";
  }

  static std::string uniqueEmail(const std::string& tag) {
    static int counter = 0;
    return tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) +
           "@example.com";
  }

  // The newest mail to `to` whose subject contains `subject`, waiting up to 10 s.
  static std::optional<testing::ReceivedMail> mailTo(const std::string& to,
                                                     const std::string& subject,
                                                     std::size_t skip = 0) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      std::size_t seen = 0;
      for (const auto& mail : smtp_->mails())
        if (mail.to.find(to) != std::string::npos &&
            mail.subject.find(subject) != std::string::npos && seen++ == skip)
          return mail;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return std::nullopt;
  }
  static std::size_t mailCount(const std::string& to) {
    std::size_t count = 0;
    for (const auto& mail : smtp_->mails()) count += mail.to.find(to) != std::string::npos;
    return count;
  }

  static client::HttpClient browser() {
    client::HttpClient http(server_->url());
    http.setCookieJar(true);
    return http;
  }

  // Signs up, opens the mailed link's page, presses its button: a verified account whose
  // session `http` then holds.
  static void verifiedAccount(client::HttpClient& http, const std::string& email) {
    auto signup = http.postJson("/api/v1/auth/signup", {{"email", email}, {"password", kPassword}});
    ASSERT_TRUE(signup);
    ASSERT_EQ(signup->status, 202) << signup->body;
    auto mail = mailTo(email, "Verify");
    ASSERT_TRUE(mail) << "no verification mail arrived";
    std::string token = tokenFromText(mail->text, "/verify");
    ASSERT_FALSE(token.empty()) << mail->text;
    ASSERT_EQ(http.postJson("/api/v1/auth/verify", {{"token", token}})->status, 200);
    ASSERT_EQ(http.postJson("/api/v1/auth/signin", {{"email", email}, {"password", kPassword}})
                  ->status,
              200);
  }

  static SmtpServer* smtp_;
  static ServerProcess* server_;
};
SmtpServer* AccountFlow::smtp_ = nullptr;
ServerProcess* AccountFlow::server_ = nullptr;

TEST_F(AccountFlow, SignUpMailsALinkThatVerifiesOnceAndUnlocksTheAccount) {
  auto http = browser();
  const std::string email = uniqueEmail("verify");
  auto signup = http.postJson("/api/v1/auth/signup", {{"email", email}, {"password", kPassword}});
  ASSERT_TRUE(signup);
  EXPECT_EQ(signup->status, 202) << signup->body;
  EXPECT_TRUE(cookieValue(http, "stratus_session").empty()) << "no session before verification";

  // Signed in but unverified: the account page works, deploying and keys do not.
  auto signin = http.postJson("/api/v1/auth/signin", {{"email", email}, {"password", kPassword}});
  ASSERT_EQ(signin->status, 200);
  EXPECT_EQ(jsonOf(*signin).at("user").at("emailVerified"), false);
  EXPECT_EQ(jsonOf(*signin).at("verificationRequired"), true);
  EXPECT_EQ(http.get("/api/v1/auth/me")->status, 200);
  auto key = http.postJson("/api/v1/api-keys", {{"name", "k"}});
  EXPECT_EQ(key->status, 403);
  EXPECT_EQ(errorCode(*key), "email_not_verified");
  auto deploy = http.postMultipart("/api/v1/functions", {{"name", "f"}},
                                   {{"functionFile", "f.py", "print(1)\n", "text/x-python"}});
  EXPECT_EQ(deploy->status, 403);
  EXPECT_EQ(errorCode(*deploy), "email_not_verified");

  auto mail = mailTo(email, "Verify");
  ASSERT_TRUE(mail) << "no verification mail arrived";
  EXPECT_NE(mail->from.find("stratus@example.com"), std::string::npos);
  EXPECT_NE(mail->html.find("/verify?token="), std::string::npos);
  const std::string token = tokenFromText(mail->text, "/verify");
  ASSERT_FALSE(token.empty()) << mail->text;

  // The link opens a page with a button (GET changes nothing: mail scanners fetch links).
  client::HttpClient page(server_->url());
  auto opened = page.get("/verify?token=" + token);
  ASSERT_EQ(opened->status, 200);
  EXPECT_NE(opened->body.find("<form method=\"post\" action=\"/verify\""), std::string::npos);
  EXPECT_EQ(http.postJson("/api/v1/api-keys", {{"name", "k"}})->status, 403);
  // What a browser sends for the page's own button: "Origin: null" (the referrer policy
  // hides it) with Sec-Fetch-Site. A null origin alone is foreign.
  auto nullOrigin = page.request("POST", "/verify", "token=" + token,
                                 "application/x-www-form-urlencoded", {{"Origin", "null"}});
  EXPECT_EQ(nullOrigin->status, 403);
  auto pressed = page.request("POST", "/verify", "token=" + token,
                              "application/x-www-form-urlencoded",
                              {{"Origin", "null"}, {"Sec-Fetch-Site", "same-origin"}});
  ASSERT_EQ(pressed->status, 200) << pressed->body;
  EXPECT_NE(pressed->body.find("Email verified"), std::string::npos);
  // On to the dashboard's sign-in page, not the bare root.
  EXPECT_NE(pressed->body.find("href=\"/signin\""), std::string::npos) << pressed->body;
  auto again = page.request("POST", "/verify", "token=" + token,
                            "application/x-www-form-urlencoded");
  EXPECT_EQ(again->status, 400) << "a used link must not work twice";

  EXPECT_EQ(jsonOf(*http.get("/api/v1/auth/me")).at("user").at("emailVerified"), true);
  EXPECT_EQ(http.postJson("/api/v1/api-keys", {{"name", "k"}})->status, 201);
}

TEST_F(AccountFlow, SignUpWithATakenAddressAnswersTheSameAndMailsTheOwner) {
  auto http = browser();
  const std::string email = uniqueEmail("taken");
  auto first = http.postJson("/api/v1/auth/signup", {{"email", email}, {"password", kPassword}});
  auto second = http.postJson("/api/v1/auth/signup",
                              {{"email", email}, {"password", "another long password"}});
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->status, second->status);
  EXPECT_EQ(first->body, second->body);
  auto notice = mailTo(email, "tried to sign up");
  ASSERT_TRUE(notice) << "the owner hears of the second attempt";
  EXPECT_EQ(tokenFromText(notice->text, "/verify"), "") << "no verification link for a taken address";
  // The second password did not replace the first.
  EXPECT_EQ(http.postJson("/api/v1/auth/signin",
                          {{"email", email}, {"password", "another long password"}})
                ->status,
            401);
}

TEST_F(AccountFlow, ResendIsThrottledPerAccount) {
  auto http = browser();
  const std::string email = uniqueEmail("resend");
  ASSERT_EQ(http.postJson("/api/v1/auth/signup", {{"email", email}, {"password", kPassword}})->status, 202);
  ASSERT_EQ(http.postJson("/api/v1/auth/signin", {{"email", email}, {"password", kPassword}})->status, 200);
  int accepted = 0;
  client::ClientResponse last;
  for (int i = 0; i < 6; ++i) {
    last = *http.request("POST", "/api/v1/auth/resend");
    if (last.status == 202) ++accepted;
    else break;
  }
  // Three mails to one address, then a wait: the sign-up's own mail was the first.
  EXPECT_EQ(accepted, 2);
  EXPECT_EQ(last.status, 429);
  EXPECT_EQ(errorCode(last), "rate_limited");
  EXPECT_TRUE(last.header("retry-after").has_value());
  // Only the newest link works.
  auto newest = mailTo(email, "Verify", 2);
  auto oldest = mailTo(email, "Verify", 0);
  ASSERT_TRUE(newest && oldest);
  EXPECT_EQ(http.postJson("/api/v1/auth/verify", {{"token", tokenFromText(oldest->text, "/verify")}})->status, 400);
  EXPECT_EQ(http.postJson("/api/v1/auth/verify", {{"token", tokenFromText(newest->text, "/verify")}})->status, 200);
}

TEST_F(AccountFlow, PasswordResetByMailEndsEverySessionAndWorksOnce) {
  auto http = browser();
  const std::string email = uniqueEmail("reset");
  verifiedAccount(http, email);
  ASSERT_EQ(http.get("/api/v1/auth/me")->status, 200);

  client::HttpClient stranger(server_->url());
  auto forgot = stranger.postJson("/api/v1/auth/forgot", {{"email", email}});
  ASSERT_EQ(forgot->status, 202);
  auto mail = mailTo(email, "Reset");
  ASSERT_TRUE(mail) << "no reset mail arrived";
  const std::string token = tokenFromText(mail->text, "/reset");
  ASSERT_FALSE(token.empty());

  auto page = stranger.get("/reset?token=" + token);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("name=\"password\""), std::string::npos);
  EXPECT_EQ(page->header("cache-control"), "no-store");
  auto mismatch = stranger.request("POST", "/reset",
                                   "token=" + token + "&password=a+new+passphrase&confirm=other+thing",
                                   "application/x-www-form-urlencoded");
  EXPECT_EQ(mismatch->status, 400);
  auto done = stranger.request("POST", "/reset",
                               "token=" + token + "&password=a+new+passphrase&confirm=a+new+passphrase",
                               "application/x-www-form-urlencoded");
  ASSERT_EQ(done->status, 200) << done->body;
  EXPECT_NE(done->body.find("href=\"/signin\""), std::string::npos) << done->body;

  EXPECT_EQ(http.get("/api/v1/auth/me")->status, 401) << "the old session ended";
  EXPECT_EQ(stranger.postJson("/api/v1/auth/signin", {{"email", email}, {"password", kPassword}})->status, 401);
  EXPECT_EQ(stranger.postJson("/api/v1/auth/signin", {{"email", email}, {"password", "a new passphrase"}})->status, 200);
  auto replay = stranger.postJson("/api/v1/auth/reset", {{"token", token}, {"password", "third passphrase!"}});
  EXPECT_EQ(replay->status, 400);
  EXPECT_EQ(errorCode(*replay), "invalid_token");
}

TEST_F(AccountFlow, ExpiredResetTokenIsRefused) {
  auto http = browser();
  const std::string email = uniqueEmail("expired");
  verifiedAccount(http, email);
  const std::string userId(jsonOf(*http.get("/api/v1/auth/me")).at("user").at("id").as_string());
  // A token that expired a minute ago, written straight into the server's database (the
  // server keeps running; both SQLite and PostgreSQL let two processes write).
  initCrypto();
  auto db = openServerStore(*server_);
  ASSERT_TRUE(db) << db.error().describe();
  const std::string token = newSecret();
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  ASSERT_TRUE((*db)->createToken({sha256Hex(token), userId, "reset", now - 3'660'000, now - 60'000, {}}));
  auto refused = http.postJson("/api/v1/auth/reset", {{"token", token}, {"password", "a new passphrase"}});
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(errorCode(*refused), "invalid_token");
  EXPECT_EQ(http.get("/api/v1/auth/me")->status, 200) << "nothing changed";
}

TEST_F(AccountFlow, ForgotPasswordAnswersTheSameForKnownAndUnknownAddresses) {
  auto http = browser();
  const std::string known = uniqueEmail("known");
  verifiedAccount(http, known);
  const std::string unknown = uniqueEmail("unknown");
  client::HttpClient anyone(server_->url());
  auto a = anyone.postJson("/api/v1/auth/forgot", {{"email", known}});
  auto b = anyone.postJson("/api/v1/auth/forgot", {{"email", unknown}});
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->status, b->status);
  EXPECT_EQ(a->body, b->body);
  EXPECT_TRUE(mailTo(known, "Reset"));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(mailCount(unknown), 0u);
}

TEST_F(AccountFlow, RapidWrongPasswordsAreThrottled) {
  auto http = browser();
  const std::string email = uniqueEmail("throttle");
  verifiedAccount(http, email);
  client::HttpClient attacker(server_->url());
  std::vector<long> statuses;
  for (int i = 0; i < 7; ++i)
    statuses.push_back(attacker.postJson("/api/v1/auth/signin",
                                         {{"email", email}, {"password", "wrong guess " + std::to_string(i)}})
                           ->status);
  EXPECT_EQ(statuses[0], 401);
  EXPECT_EQ(statuses[4], 401);
  EXPECT_EQ(statuses[5], 429) << "the account is throttled after five failures";
  EXPECT_EQ(statuses[6], 429);
  // Even the right password waits now, and the answer says for how long.
  auto blocked = attacker.postJson("/api/v1/auth/signin", {{"email", email}, {"password", kPassword}});
  EXPECT_EQ(blocked->status, 429);
  EXPECT_TRUE(blocked->header("retry-after"));
}

TEST_F(AccountFlow, CookieWritesNeedTheCsrfTokenAndOurOrigin) {
  auto http = browser();
  verifiedAccount(http, uniqueEmail("csrf"));
  const std::string session = cookieValue(http, "stratus_session");
  const std::string csrf = cookieValue(http, "stratus_csrf");
  ASSERT_FALSE(session.empty());
  ASSERT_FALSE(csrf.empty());

  client::HttpClient forger(server_->url());
  const std::string body = R"({"name":"stolen"})";
  // A cross-site page can make the browser send the cookie, but not read the token.
  auto noToken = forger.request("POST", "/api/v1/api-keys", body, "application/json",
                                {{"Cookie", "stratus_session=" + session}});
  EXPECT_EQ(noToken->status, 403);
  EXPECT_EQ(errorCode(*noToken), "csrf_token_invalid");
  auto crossSite = forger.request("POST", "/api/v1/api-keys", body, "application/json",
                                  {{"Cookie", "stratus_session=" + session},
                                   {"X-CSRF-Token", csrf},
                                   {"Origin", "https://evil.example"}});
  EXPECT_EQ(crossSite->status, 403);
  EXPECT_EQ(errorCode(*crossSite), "cross_origin");
  auto wrongToken = forger.request("POST", "/api/v1/api-keys", body, "application/json",
                                   {{"Cookie", "stratus_session=" + session},
                                    {"X-CSRF-Token", csrf.substr(1) + "A"}});
  EXPECT_EQ(wrongToken->status, 403);
  auto ok = forger.request("POST", "/api/v1/api-keys", body, "application/json",
                           {{"Cookie", "stratus_session=" + session},
                            {"X-CSRF-Token", csrf},
                            {"Origin", server_->url()}});
  EXPECT_EQ(ok->status, 201) << ok->body;
  // A GET that runs code counts as a write: a cross-site link cannot run the victim's
  // private functions with the victim's cookie.
  const std::string userId(jsonOf(*http.get("/api/v1/auth/me")).at("user").at("id").as_string());
  auto navigated = forger.request("GET", "/api/function/" + userId + "/main.handler/sandbox?a=1", {},
                                  {}, {{"Cookie", "stratus_session=" + session}});
  EXPECT_EQ(navigated->status, 403);
  EXPECT_EQ(errorCode(*navigated), "csrf_token_invalid");
  // Signing out needs the token too.
  auto forcedOut = forger.request("POST", "/api/v1/auth/signout", {}, {},
                                  {{"Cookie", "stratus_session=" + session}});
  EXPECT_EQ(forcedOut->status, 403);
  EXPECT_EQ(http.get("/api/v1/auth/me")->status, 200);
  // An API key cannot change the password or delete the account.
  auto key = client::expectJson(http.postJson("/api/v1/api-keys", {{"name", "k2"}}));
  ASSERT_TRUE(key);
  client::HttpClient withKey(server_->url(), std::string(key->at("key").as_string()));
  auto keyChange = withKey.postJson("/api/v1/auth/password",
                                    {{"currentPassword", kPassword}, {"newPassword", "taken over!!"}});
  EXPECT_EQ(keyChange->status, 403);
  EXPECT_EQ(errorCode(*keyChange), "session_required");
  // Sign-in itself refuses a cross-site form (login CSRF).
  auto loginCsrf = forger.request("POST", "/api/v1/auth/signin",
                                  R"({"email":"x@example.com","password":"whatever123"})",
                                  "application/json", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(loginCsrf->status, 403);
}

TEST_F(AccountFlow, SessionIdRotatesAtSignIn) {
  auto http = browser();
  const std::string email = uniqueEmail("rotate");
  verifiedAccount(http, email);
  const std::string before = cookieValue(http, "stratus_session");
  ASSERT_EQ(http.postJson("/api/v1/auth/signin", {{"email", email}, {"password", kPassword}})->status, 200);
  const std::string after = cookieValue(http, "stratus_session");
  EXPECT_NE(before, after);
  client::HttpClient planted(server_->url());
  auto old = planted.request("GET", "/api/v1/auth/me", {}, {}, {{"Cookie", "stratus_session=" + before}});
  EXPECT_EQ(old->status, 401) << "the id held before sign-in is dead";
}

TEST_F(AccountFlow, ChangingThePasswordNeedsTheCurrentOneAndEndsOtherSessions) {
  auto http = browser();
  const std::string email = uniqueEmail("change");
  verifiedAccount(http, email);
  auto other = browser();
  ASSERT_EQ(other.postJson("/api/v1/auth/signin", {{"email", email}, {"password", kPassword}})->status, 200);
  auto wrong = http.postJson("/api/v1/auth/password",
                             {{"currentPassword", "not my password"}, {"newPassword", "a new passphrase"}});
  EXPECT_EQ(wrong->status, 403);
  EXPECT_EQ(errorCode(*wrong), "wrong_password");
  auto changed = http.postJson("/api/v1/auth/password",
                               {{"currentPassword", kPassword}, {"newPassword", "a new passphrase"}});
  ASSERT_EQ(changed->status, 200) << changed->body;
  EXPECT_EQ(http.get("/api/v1/auth/me")->status, 200) << "this browser got a fresh session";
  EXPECT_EQ(other.get("/api/v1/auth/me")->status, 401) << "the other one was signed out";
}

TEST_F(AccountFlow, DeletingTheAccountRemovesFunctionsKeysAndSessions) {
  auto http = browser();
  const std::string email = uniqueEmail("delete");
  verifiedAccount(http, email);
  auto key = client::expectJson(http.postJson("/api/v1/api-keys", {{"name", "k"}}));
  ASSERT_TRUE(key);
  const std::string apiKey(key->at("key").as_string());
  client::HttpClient withKey(server_->url(), apiKey);
  auto deployed = withKey.postMultipart("/api/v1/functions", {{"name", "doomed"}, {"handler", "main.handler"}},
                                        {{"functionFile", "main.py", "print('hi')\n", "text/x-python"}});
  ASSERT_EQ(deployed->status, 201) << deployed->body;
  const std::string userId(jsonOf(*http.get("/api/v1/auth/me")).at("user").at("id").as_string());
  auto blobs = openServerBlobs(*server_);
  ASSERT_TRUE(blobs) << blobs.error().describe();
  const std::string userBlobs = "users/" + userId + "/";
  auto before = (*blobs)->list(userBlobs);
  ASSERT_TRUE(before) << before.error().describe();
  ASSERT_FALSE(before->empty());

  auto refused = http.request("DELETE", "/api/v1/auth/account", R"({"password":"wrong one!!"})",
                              "application/json");
  EXPECT_EQ(refused->status, 403);
  auto deleted = http.request("DELETE", "/api/v1/auth/account",
                              R"({"password":"correct horse battery"})", "application/json");
  ASSERT_EQ(deleted->status, 204) << deleted->body;
  EXPECT_EQ(withKey.get("/api/v1/functions")->status, 401) << "the key died with the account";
  EXPECT_EQ(http.get("/api/v1/auth/me")->status, 401);
  auto left = (*blobs)->list(userBlobs);
  ASSERT_TRUE(left) << left.error().describe();
  EXPECT_TRUE(left->empty()) << "code blobs are removed";
  // The address is free again.
  EXPECT_EQ(http.postJson("/api/v1/auth/signup", {{"email", email}, {"password", kPassword}})->status, 202);
}

TEST_F(AccountFlow, HtmlPagesCarryTheSecurityHeaders) {
  client::HttpClient http(server_->url());
  auto page = http.get("/reset?token=x");
  ASSERT_EQ(page->status, 200);
  auto csp = page->header("content-security-policy");
  ASSERT_TRUE(csp);
  EXPECT_NE(csp->find("frame-ancestors 'none'"), std::string_view::npos);
  EXPECT_EQ(page->header("x-content-type-options"), "nosniff");
  EXPECT_EQ(page->header("referrer-policy"), "same-origin");
  EXPECT_EQ(page->header("x-frame-options"), "DENY");
}

// Sign-ups cannot flood an inbox: mails to one address are throttled even though every
// sign-up gets the same answer. Its own server, so its sign-ups do not count against the
// suite's per-address limit.
TEST(SignUpMail, RepeatedSignUpsMailTheOwnerAFewTimesOnly) {
  if (!SmtpServer::available()) GTEST_SKIP() << SmtpServer::skipReason();
  SmtpServer smtp;
  auto server = ServerProcess::start({"--smtp-url", smtp.url(), "--smtp-tls", "optional"});
  ASSERT_NE(server, nullptr);
  client::HttpClient http(server->url());
  for (int i = 0; i < 6; ++i) {
    auto answer = http.postJson("/api/v1/auth/signup",
                                {{"email", "flooded@example.com"}, {"password", kPassword}});
    ASSERT_EQ(answer->status, 202) << answer->body;
  }
  EXPECT_EQ(smtp.waitForMails(3, std::chrono::seconds(10)).size(), 3u);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(smtp.mails().size(), 3u) << "a verification mail and two notices, then nothing";
}

// The server's own SMTP configuration against a relay that insists on STARTTLS and AUTH,
// whose certificate a private CA signed: the verification mail arrives.
TEST(SignUpMail, GoesThroughAnAuthenticatedStartTlsRelay) {
  if (!SmtpServer::tlsAvailable()) GTEST_SKIP() << SmtpServer::tlsSkipReason();
  SmtpServer smtp(testing::SmtpServerOptions{true, "stratus", "relay secret 42"});
  auto server = ServerProcess::start({"--smtp-url", smtp.url()},
                                     {"SMTP_USER=stratus", "SMTP_PASSWORD=relay secret 42",
                                      "SMTP_CA_FILE=" + smtp.caFile()});
  ASSERT_NE(server, nullptr);
  client::HttpClient http(server->url());
  ASSERT_EQ(http.postJson("/api/v1/auth/signup",
                          {{"email", "tls@example.com"}, {"password", kPassword}})->status,
            202);
  auto mails = smtp.waitForMails(1, std::chrono::seconds(10));
  ASSERT_EQ(mails.size(), 1u) << server->log();
  EXPECT_FALSE(tokenFromText(mails[0].text, "/verify").empty());
  EXPECT_EQ(server->log().find("relay secret 42"), std::string::npos) << "no password in the log";
}

// Secure cookies follow the proxy's word only when told to trust it.
TEST(SecureCookies, FollowATrustedProxysForwardedProto) {
  for (bool trust : {true, false}) {
    auto server = ServerProcess::start({"--trust-proxy", trust ? "true" : "false",
                                        "--require-verified-email=false"});
    ASSERT_NE(server, nullptr);
    client::HttpClient http(server->url());
    auto signup = http.request("POST", "/api/v1/auth/signup",
                               R"({"email":"secure@example.com","password":"correct horse battery"})",
                               "application/json", {{"X-Forwarded-Proto", "https"}});
    ASSERT_EQ(signup->status, 201) << signup->body;
    bool secure = false, sawSession = false;
    for (const auto& [name, value] : signup->headers)
      if (name == "set-cookie" && value.starts_with("stratus_session=")) {
        sawSession = true;
        secure = value.find("; Secure") != std::string::npos;
      }
    EXPECT_TRUE(sawSession);
    EXPECT_EQ(secure, trust);
  }
}

}  // namespace
}  // namespace stratus::e2e
