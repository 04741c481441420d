#include "auth/oauth/pkce.h"

#include <sodium.h>

#include "auth/oauth/base64url.h"

namespace stratus::auth::oauth {

std::string newCodeVerifier() {
  std::string random(32, '\0');
  randombytes_buf(random.data(), random.size());
  std::string verifier = base64UrlEncode(random);
  sodium_memzero(random.data(), random.size());
  return verifier;
}

std::string codeChallengeS256(std::string_view verifier) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(verifier.data()),
                     verifier.size());
  return base64UrlEncode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

}  // namespace stratus::auth::oauth
