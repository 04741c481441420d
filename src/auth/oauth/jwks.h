// A provider's signing keys, published as a JWK Set (RFC 7517), and the one check made with
// them: does this signature over this text verify under this key for this algorithm. Only
// what OpenID providers actually sign ID tokens with is supported: RS256 (RSA PKCS#1 v1.5
// with SHA-256) and ES256 (ECDSA P-256 with SHA-256).
#pragma once

#include <openssl/types.h>

#include <boost/json/value.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace stratus::auth::oauth {

struct EvpPkeyFree {
  void operator()(EVP_PKEY* key) const noexcept;
};
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;

struct Jwk {
  std::string kid;  // may be empty
  std::string kty;  // "RSA" or "EC"
  std::string alg;  // "RS256" or "ES256": as published, or implied by kty when not published
  std::string use;  // "sig" or empty (not published)
  EvpPkeyPtr key;   // never null in a parsed Jwks
};

struct Jwks {
  std::vector<Jwk> keys;
};

// Error code "jwks_invalid" (ErrorKind::unavailable: the provider's fault, not the user's)
// when the document is not {"keys": [...]}. Keys we cannot use are left out rather than
// failing the set, since providers publish other kinds next to the signing keys: "use" other
// than "sig", other key types, curves or algorithms, RSA moduli under 2048 bits, and
// values that do not decode to a valid key (an EC point must lie on the curve).
Result<Jwks> parseJwks(const boost::json::value& document);
Result<Jwks> parseJwksText(std::string_view text);

// True only when alg is the key's own algorithm (RS256 with an RSA key, ES256 with a P-256
// key) and the signature verifies. Never true for any other alg, so a token cannot choose
// how its key is used: HS256 with a public key as HMAC secret, "none", RS256 with an EC key.
// For ES256 the signature is JOSE's raw r||s (64 bytes, RFC 7518 §3.4), not DER.
bool verify(const Jwk& key, std::string_view alg, std::string_view signingInput,
            std::string_view signature);

}  // namespace stratus::auth::oauth
