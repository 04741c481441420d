// Sign-in with GitHub: plain OAuth 2 authorization code (GitHub has no OpenID Connect for
// users), so who signed in comes from the user API called with the access token. PKCE is
// sent too (GitHub supports S256), so a leaked code is useless without the flow cookie.
// The endpoints are configurable, which also lets GitHub Enterprise and the integration
// tests' local provider stand in.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/oauth/provider.h"
#include "common/error.h"

namespace stratus::auth::oauth {

struct GithubConfig {
  std::string clientId, clientSecret;
  std::string authorizeUrl = "https://github.com/login/oauth/authorize",
              tokenUrl = "https://github.com/login/oauth/access_token",
              userUrl = "https://api.github.com/user",
              emailsUrl = "https://api.github.com/user/emails";
  std::string scope = "read:user user:email";
};

// Refuses ("oauth_config_invalid", invalid_argument) an empty client id or secret, or an
// endpoint that is not an absolute http(s) URL (emailsUrl may be empty: then the profile's
// own email and email_verified are used).
Result<OAuthProviderPtr> makeGithubProvider(GithubConfig config);

// Pure parsers for the user API's JSON, tested with literal GitHub answers.
//
// The user endpoint: GitHub's shape ({"id": 583231, "login", "name", "email"}: subject is the
// numeric id as text, since logins can be renamed and reused; name falls back to login; the
// profile email is the public one and never counts as verified), or an OpenID userinfo shape
// ({"sub", "email", "email_verified", "name"}). "oauth_provider_unavailable" when there is
// neither id nor sub.
Result<ExternalIdentity> parseGithubUser(std::string_view json);
// The emails endpoint ([{"email", "primary", "verified"}, ...]): the primary address if it is
// verified, nullopt otherwise. "oauth_provider_unavailable" when it is not such an array.
Result<std::optional<std::string>> parseGithubEmails(std::string_view json);

}  // namespace stratus::auth::oauth
