// Sign-in with Google, or any OpenID Connect provider: authorization code with PKCE and a
// nonce, then the ID token from the token endpoint is validated against the provider's
// published keys (id_token.h). Endpoints and keys come from the issuer's discovery document,
// so configuration is just the issuer and the client credentials.
#pragma once

#include <string>
#include <string_view>

#include "auth/oauth/provider.h"
#include "common/error.h"

namespace stratus::auth::oauth {

struct OidcConfig {
  std::string clientId, clientSecret;
  std::string issuer = "https://accounts.google.com";
  std::string scope = "openid email profile";
  // Endpoints are discovered from issuer + "/.well-known/openid-configuration" on first use
  // and cached; the JWKS is cached and fetched again when a token names an unknown kid (key
  // rotation), at most once a minute.
};

// Refuses ("oauth_config_invalid", invalid_argument) an empty client id or secret, or an
// issuer that is not an absolute http(s) URL. No network access until first use.
Result<OAuthProviderPtr> makeOidcProvider(OidcConfig config);

struct OidcDiscovery {
  std::string issuer, authorizationEndpoint, tokenEndpoint, jwksUri;
};

// Pure: the discovery document's JSON. Its issuer must be exactly expectedIssuer (OpenID
// Connect Discovery §4.3: otherwise a document could vouch for another issuer's tokens), and
// the three endpoints must be http(s) URLs, https whenever the issuer is. Errors are
// "oauth_provider_unavailable" (ErrorKind::unavailable).
Result<OidcDiscovery> parseDiscovery(std::string_view json, std::string_view expectedIssuer);

}  // namespace stratus::auth::oauth
