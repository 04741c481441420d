#include "auth/oauth/id_token.h"

#include <cmath>
#include <optional>
#include <vector>

#include "auth/oauth/jwt.h"
#include "common/crypto.h"

namespace stratus::auth::oauth {
namespace {

std::unexpected<Error> refuse(std::string code, std::string message) {
  return fail(ErrorKind::unauthorized, std::move(code), std::move(message));
}

// NumericDate (RFC 7519 §2): seconds, possibly fractional. Anything outside int64 range is
// not a time we can reason about.
std::optional<int64_t> numericDate(const boost::json::object& claims, std::string_view name) {
  const auto* value = claims.if_contains(name);
  if (!value) return std::nullopt;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64()) {
    if (value->as_uint64() > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<int64_t>(value->as_uint64());
  }
  if (value->is_double()) {
    double seconds = value->as_double();
    if (!std::isfinite(seconds) || std::fabs(seconds) > 9.0e15) return std::nullopt;
    return static_cast<int64_t>(std::floor(seconds));
  }
  return std::nullopt;
}

std::string stringClaim(const boost::json::object& claims, std::string_view name) {
  const auto* value = claims.if_contains(name);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

// Candidate keys for the token: those with its kid, or, for a token without kid, the only
// key of its algorithm (a set with several would leave the choice to the attacker's token).
std::vector<const Jwk*> candidateKeys(const Jwks& keys, const Jws& jws) {
  std::vector<const Jwk*> found;
  if (!jws.kid.empty()) {
    for (const auto& key : keys.keys)
      if (key.kid == jws.kid) found.push_back(&key);
    return found;
  }
  for (const auto& key : keys.keys)
    if (key.alg == jws.alg) found.push_back(&key);
  if (found.size() != 1) found.clear();
  return found;
}

bool audienceMatches(const boost::json::value& aud, std::string_view audience, bool& several) {
  several = false;
  if (aud.is_string()) return aud.as_string() == audience;
  if (!aud.is_array()) return false;
  const auto& list = aud.as_array();
  several = list.size() > 1;
  for (const auto& entry : list)
    if (entry.is_string() && entry.as_string() == audience) return true;
  return false;
}

bool emailVerifiedClaim(const boost::json::object& claims) {
  const auto* value = claims.if_contains("email_verified");
  if (!value) return false;
  if (value->is_bool()) return value->as_bool();
  return value->is_string() && value->as_string() == "true";
}

}  // namespace

Result<IdTokenClaims> validateIdToken(std::string_view token, const Jwks& keys,
                                      const IdTokenExpectations& expected) {
  auto jws = parseJws(token);
  if (!jws)
    return refuse("id_token_malformed", "the ID token is malformed: " + jws.error().message);
  const auto& claims = jws->payloadJson;
  const auto* subject = claims.if_contains("sub");
  auto expiresAt = numericDate(claims, "exp");
  auto issuedAt = numericDate(claims, "iat");
  if (!subject || !subject->is_string() || subject->as_string().empty() || !expiresAt || !issuedAt)
    return refuse("id_token_malformed", "the ID token lacks sub, exp or iat");

  auto candidates = candidateKeys(keys, *jws);
  if (candidates.empty())
    return refuse("id_token_unknown_key",
                  "the ID token is signed with a key the provider does not publish");
  bool signatureHolds = false;
  for (const Jwk* key : candidates) {
    if (verify(*key, jws->alg, jws->signingInput, jws->signature)) {
      signatureHolds = true;
      break;
    }
  }
  if (!signatureHolds)
    return refuse("id_token_bad_signature", "the ID token's signature does not verify");

  const auto* issuer = claims.if_contains("iss");
  if (!issuer || !issuer->is_string() ||
      (issuer->as_string() != expected.issuer &&
       (expected.alternateIssuer.empty() || issuer->as_string() != expected.alternateIssuer)))
    return refuse("id_token_wrong_issuer", "the ID token was issued by another provider");

  const auto* aud = claims.if_contains("aud");
  bool severalAudiences = false;
  if (!aud || !audienceMatches(*aud, expected.audience, severalAudiences))
    return refuse("id_token_wrong_audience", "the ID token was issued to another client");
  // OIDC Core §3.1.3.7 items 4-5: with several audiences the authorized party names the one
  // the token was really for.
  const auto* authorizedParty = claims.if_contains("azp");
  if (severalAudiences || authorizedParty) {
    if (!authorizedParty || !authorizedParty->is_string() ||
        authorizedParty->as_string() != expected.audience)
      return refuse("id_token_wrong_audience", "the ID token was issued to another client");
  }

  if (*expiresAt <= expected.nowS - expected.leewayS)
    return refuse("id_token_expired", "the ID token has expired");
  auto notBefore = numericDate(claims, "nbf");
  if (*issuedAt > expected.nowS + expected.leewayS ||
      (notBefore && *notBefore > expected.nowS + expected.leewayS))
    return refuse("id_token_expired",
                  "the ID token is not valid yet (is this server's clock right?)");

  std::string nonce = stringClaim(claims, "nonce");
  if (expected.nonce.empty() || nonce.empty() || !constantTimeEquals(nonce, expected.nonce))
    return refuse("id_token_nonce_mismatch", "the ID token belongs to another sign-in");

  IdTokenClaims result;
  result.subject = std::string(subject->as_string());
  result.email = stringClaim(claims, "email");
  result.name = stringClaim(claims, "name");
  result.emailVerified = emailVerifiedClaim(claims);
  return result;
}

}  // namespace stratus::auth::oauth
