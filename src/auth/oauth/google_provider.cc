#include "auth/oauth/google_provider.h"

#include <boost/json/parse.hpp>
#include <cctype>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

#include "auth/oauth/id_token.h"
#include "auth/oauth/jwks.h"
#include "auth/oauth/pkce.h"
#include "auth/oauth/provider_http.h"
#include "common/crypto.h"

namespace stratus::auth::oauth {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// A token with an unknown kid makes us fetch the keys again (the provider rotated them), but
// not more often than this, or anyone could make us hammer the provider with made-up kids.
constexpr auto kJwksRefetchInterval = 1min;

const client::HeaderList kJsonHeaders{{"Accept", "application/json"}};

std::unexpected<Error> badAnswer(std::string message) {
  return fail(ErrorKind::unavailable, "oauth_provider_unavailable", std::move(message));
}

bool startsWith(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  return true;
}

std::string discoveryUrl(std::string_view issuer) {
  // Discovery §4: the issuer with any trailing '/' removed, then the well-known path.
  while (!issuer.empty() && issuer.back() == '/') issuer.remove_suffix(1);
  return std::string(issuer) + "/.well-known/openid-configuration";
}

int64_t unixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<OidcDiscovery> discoveryFromJson(const boost::json::value& value,
                                        std::string_view expectedIssuer) {
  if (!value.is_object()) return badAnswer("discovery: the document is not a JSON object");
  const auto& document = value.as_object();
  auto field = [&](std::string_view name) {
    const auto* found = document.if_contains(name);
    return found && found->is_string() ? std::string(found->as_string()) : std::string();
  };
  OidcDiscovery discovery{field("issuer"), field("authorization_endpoint"), field("token_endpoint"),
                          field("jwks_uri")};
  if (discovery.issuer != expectedIssuer)
    return badAnswer("discovery: the document is for issuer '" + discovery.issuer.substr(0, 200) +
                     "', not the configured '" + std::string(expectedIssuer) + "'");
  // An https issuer whose endpoints are plain http would send the client secret and the
  // tokens in clear text.
  bool tls = startsWith(expectedIssuer, "https://");
  for (const std::string* url :
       {&discovery.authorizationEndpoint, &discovery.tokenEndpoint, &discovery.jwksUri}) {
    if (!isProviderUrl(*url) || (tls && !startsWith(*url, "https://")))
      return badAnswer("discovery: an endpoint is missing or not an " +
                       std::string(tls ? "https" : "http(s)") + " URL");
  }
  return discovery;
}

class OidcProvider final : public OAuthProvider {
 public:
  explicit OidcProvider(OidcConfig config) : config_(std::move(config)) {}

  std::string_view name() const override { return "google"; }

  Result<std::string> authorizationUrl(FlowState& flow, std::string_view redirectUri) override {
    client::HttpClient http = newProviderClient();
    auto discovery = discover(http);
    if (!discovery) return propagate(std::move(discovery.error()), "start sign-in");
    flow.state = newSecret();
    flow.nonce = newSecret();
    flow.codeVerifier = newCodeVerifier();
    return withQuery(discovery->authorizationEndpoint,
                     {{"response_type", "code"},
                      {"client_id", config_.clientId},
                      {"redirect_uri", std::string(redirectUri)},
                      {"scope", config_.scope},
                      {"state", flow.state},
                      {"nonce", flow.nonce},
                      {"code_challenge", codeChallengeS256(flow.codeVerifier)},
                      {"code_challenge_method", "S256"}});
  }

  Result<ExternalIdentity> complete(std::string_view code, const FlowState& flow,
                                    std::string_view redirectUri) override {
    if (code.empty())
      return fail(ErrorKind::unauthorized, "oauth_exchange_failed", "no authorization code");
    client::HttpClient http = newProviderClient();
    auto discovery = discover(http);
    if (!discovery) return propagate(std::move(discovery.error()), "complete sign-in");

    client::FieldList form{{"grant_type", "authorization_code"},
                           {"code", std::string(code)},
                           {"redirect_uri", std::string(redirectUri)},
                           {"client_id", config_.clientId},
                           {"client_secret", config_.clientSecret}};
    if (!flow.codeVerifier.empty()) form.emplace_back("code_verifier", flow.codeVerifier);
    auto answer = callProvider(http, "POST", discovery->tokenEndpoint, "token exchange",
                               OnClientError::exchangeFailed, kJsonHeaders, formBody(form));
    if (!answer) return propagate(std::move(answer.error()), "complete sign-in");
    auto idToken = tokenField(*answer, "id_token");
    if (!idToken) return propagate(std::move(idToken.error()), "complete sign-in");

    IdTokenExpectations expected{config_.issuer, config_.clientId, flow.nonce, unixSeconds()};
    if (config_.issuer == "https://accounts.google.com")
      expected.alternateIssuer = "accounts.google.com";
    auto keys = signingKeys(http, *discovery, nullptr);
    if (!keys) return propagate(std::move(keys.error()), "complete sign-in");
    auto claims = validateIdToken(*idToken, **keys, expected);
    if (!claims && claims.error().code == "id_token_unknown_key") {
      auto fresher = signingKeys(http, *discovery, *keys);
      if (!fresher) return propagate(std::move(fresher.error()), "complete sign-in");
      if (*fresher != *keys) claims = validateIdToken(*idToken, **fresher, expected);
    }
    if (!claims) return propagate(std::move(claims.error()), "complete sign-in");

    return ExternalIdentity{std::string(name()), std::move(claims->subject),
                            std::move(claims->email), std::move(claims->name),
                            claims->emailVerified};
  }

 private:
  using KeysPtr = std::shared_ptr<const Jwks>;

  // The network calls below run under mutex_: concurrent first sign-ins wait for one fetch
  // instead of each making their own, and the refetch limit holds across threads.
  Result<OidcDiscovery> discover(client::HttpClient& http) {
    std::lock_guard lock(mutex_);
    if (discovery_) return *discovery_;
    auto document = callProvider(http, "GET", discoveryUrl(config_.issuer), "discovery",
                                 OnClientError::unavailable, kJsonHeaders);
    if (!document) return std::unexpected(std::move(document.error()));
    auto parsed = discoveryFromJson(*document, config_.issuer);
    if (!parsed) return std::unexpected(std::move(parsed.error()));
    discovery_ = *parsed;
    return *parsed;
  }

  // The cached key set; with `stale` (the set a token's kid was not found in), a fresher one
  // if the last fetch is old enough, else the same set again.
  Result<KeysPtr> signingKeys(client::HttpClient& http, const OidcDiscovery& discovery,
                              const KeysPtr& stale) {
    std::lock_guard lock(mutex_);
    if (keys_ && keys_ != stale) return keys_;
    if (keys_ && Clock::now() - lastKeysFetch_ < kJwksRefetchInterval) return keys_;
    // Counted from the attempt, not the success, so a failing endpoint is not retried on
    // every token either.
    lastKeysFetch_ = Clock::now();
    auto document = callProvider(http, "GET", discovery.jwksUri, "signing keys",
                                 OnClientError::unavailable, kJsonHeaders);
    if (!document) return std::unexpected(std::move(document.error()));
    auto parsed = parseJwks(*document);
    if (!parsed) return std::unexpected(std::move(parsed.error()));
    keys_ = std::make_shared<const Jwks>(std::move(*parsed));
    return keys_;
  }

  const OidcConfig config_;
  std::mutex mutex_;
  std::optional<OidcDiscovery> discovery_;  // guarded by mutex_
  KeysPtr keys_;  // guarded by mutex_; shared so a validation in progress outlives a refresh
  Clock::time_point lastKeysFetch_;  // guarded by mutex_
};

}  // namespace

Result<OidcDiscovery> parseDiscovery(std::string_view json, std::string_view expectedIssuer) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(json, ec);
  if (ec) return badAnswer("discovery: the document is not JSON");
  return discoveryFromJson(value, expectedIssuer);
}

Result<OAuthProviderPtr> makeOidcProvider(OidcConfig config) {
  if (config.clientId.empty() || config.clientSecret.empty())
    return invalid("oauth_config_invalid",
                   "OpenID Connect sign-in needs a client id and a client secret");
  if (!isProviderUrl(config.issuer))
    return invalid("oauth_config_invalid",
                   "OpenID Connect sign-in: the issuer must be an http(s) URL");
  if (config.scope.find("openid") == std::string::npos)
    return invalid("oauth_config_invalid",
                   "OpenID Connect sign-in: the scope must include 'openid'");
  return std::make_unique<OidcProvider>(std::move(config));
}

}  // namespace stratus::auth::oauth
