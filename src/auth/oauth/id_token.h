// Validation of an OpenID Connect ID token (OIDC Core §3.1.3.7) from a token endpoint
// response. The token came over TLS straight from the provider, but is still checked in full:
// its signature is what binds it to the issuer, and aud/nonce are what bind it to this client
// and this browser's sign-in (a token minted for another site, or replayed, must not work).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "auth/oauth/jwks.h"
#include "common/error.h"

namespace stratus::auth::oauth {

struct IdTokenExpectations {
  std::string issuer, audience, nonce;
  int64_t nowS;
  int64_t leewayS = 60;  // clock skew tolerated between us and the provider
  // A second spelling of the same issuer. Google documents ID tokens whose iss is
  // "accounts.google.com" as well as "https://accounts.google.com".
  std::string alternateIssuer = {};
};

struct IdTokenClaims {
  std::string subject, email, name;
  bool emailVerified = false;
};

// Checks, in this order, and fails with the first code that applies (all
// ErrorKind::unauthorized):
//   id_token_malformed       not a JWS, or payload without string sub / numeric exp and iat
//   id_token_unknown_key     no key with the header's kid (no kid: accepted only when the set
//                            has exactly one key for the header's alg)
//   id_token_bad_signature   the signature does not verify, or alg is not the key's own
//   id_token_wrong_issuer    iss differs from expectations.issuer (exact string comparison)
//   id_token_wrong_audience  aud is not, or does not contain, the audience; or azp (required
//                            with several audiences, checked whenever present) differs
//   id_token_expired         exp <= now - leeway, or iat / nbf later than now + leeway
//   id_token_nonce_mismatch  nonce absent or not the expected one (constant-time comparison)
// email_verified may be a JSON bool or the string "true" (some providers send strings).
Result<IdTokenClaims> validateIdToken(std::string_view token, const Jwks& keys,
                                      const IdTokenExpectations& expected);

}  // namespace stratus::auth::oauth
