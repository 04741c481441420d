// PKCE (RFC 7636): the sign-in's secret verifier stays in the sealed flow cookie and only
// its hash travels through the browser, so an authorization code stolen on the way back
// (a leaky redirect, a log, a malicious app claiming the redirect) cannot be redeemed.
#pragma once

#include <string>
#include <string_view>

namespace stratus::auth::oauth {

// 32 random bytes from libsodium as base64url: 43 characters, the RFC's minimum length and
// 256 bits of entropy. initCrypto() must have run.
std::string newCodeVerifier();

// BASE64URL(SHA256(verifier)), the "S256" method; never "plain", which would put the secret
// itself in the authorization URL.
std::string codeChallengeS256(std::string_view verifier);

}  // namespace stratus::auth::oauth
