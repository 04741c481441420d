#include "auth/oauth/github_provider.h"

#include <boost/json/parse.hpp>

#include "auth/oauth/pkce.h"
#include "auth/oauth/provider_http.h"
#include "common/crypto.h"

namespace stratus::auth::oauth {
namespace {

// GitHub's API refuses requests without a User-Agent.
const client::HeaderList kApiHeaders{{"Accept", "application/json"},
                                     {"User-Agent", "stratus-oauth"}};

std::unexpected<Error> badAnswer(std::string message) {
  return fail(ErrorKind::unavailable, "oauth_provider_unavailable", std::move(message));
}

std::string stringOf(const boost::json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

bool boolOf(const boost::json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (!value) return false;
  if (value->is_bool()) return value->as_bool();
  return value->is_string() && value->as_string() == "true";
}

Result<ExternalIdentity> userFromJson(const boost::json::value& value) {
  if (!value.is_object()) return badAnswer("user profile: not a JSON object");
  const auto& user = value.as_object();
  ExternalIdentity identity;
  identity.provider = "github";
  if (const auto* id = user.if_contains("id"); id && (id->is_int64() || id->is_uint64())) {
    if (id->is_int64() && id->as_int64() < 0) return badAnswer("user profile: negative id");
    identity.subject =
        id->is_int64() ? std::to_string(id->as_int64()) : std::to_string(id->as_uint64());
    identity.name = stringOf(user, "name");
    if (identity.name.empty()) identity.name = stringOf(user, "login");
    identity.email = stringOf(user, "email");
    // GitHub's profile has no email_verified; an OpenID-style one may.
    identity.emailVerified = boolOf(user, "email_verified");
  } else if (std::string subject = stringOf(user, "sub"); !subject.empty()) {
    identity.subject = std::move(subject);
    identity.name = stringOf(user, "name");
    if (identity.name.empty()) identity.name = stringOf(user, "preferred_username");
    identity.email = stringOf(user, "email");
    identity.emailVerified = boolOf(user, "email_verified");
  } else {
    return badAnswer("user profile: no user id");
  }
  return identity;
}

Result<std::optional<std::string>> emailsFromJson(const boost::json::value& value) {
  if (!value.is_array()) return badAnswer("email addresses: not a JSON array");
  for (const auto& entry : value.as_array()) {
    if (!entry.is_object()) continue;
    const auto& email = entry.as_object();
    const auto* primary = email.if_contains("primary");
    const auto* verified = email.if_contains("verified");
    if (primary && primary->is_bool() && primary->as_bool() && verified && verified->is_bool() &&
        verified->as_bool()) {
      std::string address = stringOf(email, "email");
      if (!address.empty()) return std::optional<std::string>(std::move(address));
    }
  }
  return std::optional<std::string>();
}

class GithubProvider final : public OAuthProvider {
 public:
  explicit GithubProvider(GithubConfig config) : config_(std::move(config)) {}

  std::string_view name() const override { return "github"; }

  Result<std::string> authorizationUrl(FlowState& flow, std::string_view redirectUri) override {
    flow.state = newSecret();
    flow.codeVerifier = newCodeVerifier();
    flow.nonce.clear();  // OAuth 2 without OpenID has no nonce
    return withQuery(config_.authorizeUrl,
                     {{"response_type", "code"},
                      {"client_id", config_.clientId},
                      {"redirect_uri", std::string(redirectUri)},
                      {"scope", config_.scope},
                      {"state", flow.state},
                      {"code_challenge", codeChallengeS256(flow.codeVerifier)},
                      {"code_challenge_method", "S256"}});
  }

  Result<ExternalIdentity> complete(std::string_view code, const FlowState& flow,
                                    std::string_view redirectUri) override {
    if (code.empty())
      return fail(ErrorKind::unauthorized, "oauth_exchange_failed", "no authorization code");
    client::HttpClient http = newProviderClient();

    client::FieldList form{{"grant_type", "authorization_code"},
                           {"client_id", config_.clientId},
                           {"client_secret", config_.clientSecret},
                           {"code", std::string(code)},
                           {"redirect_uri", std::string(redirectUri)}};
    if (!flow.codeVerifier.empty()) form.emplace_back("code_verifier", flow.codeVerifier);
    auto answer = callProvider(http, "POST", config_.tokenUrl, "token exchange",
                               OnClientError::exchangeFailed, kApiHeaders, formBody(form));
    if (!answer) return propagate(std::move(answer.error()), "sign in with GitHub");
    auto accessToken = tokenField(*answer, "access_token");
    if (!accessToken) return propagate(std::move(accessToken.error()), "sign in with GitHub");

    client::HeaderList headers = kApiHeaders;
    headers.emplace_back("Authorization", "Bearer " + *accessToken);
    auto user = callProvider(http, "GET", config_.userUrl, "user profile",
                             OnClientError::exchangeFailed, headers);
    if (!user) return propagate(std::move(user.error()), "sign in with GitHub");
    auto identity = userFromJson(*user);
    if (!identity) return propagate(std::move(identity.error()), "sign in with GitHub");

    if (!config_.emailsUrl.empty()) {
      // The profile shows only the public address, if any; whether an address is verified
      // (which decides account linking) is only in the emails list.
      auto emails = callProvider(http, "GET", config_.emailsUrl, "email addresses",
                                 OnClientError::exchangeFailed, headers);
      if (!emails) return propagate(std::move(emails.error()), "sign in with GitHub");
      auto verified = emailsFromJson(*emails);
      if (!verified) return propagate(std::move(verified.error()), "sign in with GitHub");
      if (*verified) {
        identity->email = std::move(**verified);
        identity->emailVerified = true;
      } else {
        identity->emailVerified = false;
      }
    }
    return identity;
  }

 private:
  const GithubConfig config_;  // immutable after construction: complete() may run concurrently
};

}  // namespace

Result<ExternalIdentity> parseGithubUser(std::string_view json) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(json, ec);
  if (ec) return badAnswer("user profile: not JSON");
  return userFromJson(value);
}

Result<std::optional<std::string>> parseGithubEmails(std::string_view json) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(json, ec);
  if (ec) return badAnswer("email addresses: not JSON");
  return emailsFromJson(value);
}

Result<OAuthProviderPtr> makeGithubProvider(GithubConfig config) {
  if (config.clientId.empty() || config.clientSecret.empty())
    return invalid("oauth_config_invalid", "GitHub sign-in needs a client id and a client secret");
  auto badUrl = [](std::string_view what) {
    return invalid("oauth_config_invalid",
                   "GitHub sign-in: the " + std::string(what) + " must be an http(s) URL");
  };
  if (!isProviderUrl(config.authorizeUrl)) return badUrl("authorize URL");
  if (!isProviderUrl(config.tokenUrl)) return badUrl("token URL");
  if (!isProviderUrl(config.userUrl)) return badUrl("user URL");
  if (!config.emailsUrl.empty() && !isProviderUrl(config.emailsUrl)) return badUrl("emails URL");
  return std::make_unique<GithubProvider>(std::move(config));
}

}  // namespace stratus::auth::oauth
