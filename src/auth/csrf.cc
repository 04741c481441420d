#include "auth/csrf.h"

#include <sodium.h>

#include "common/crypto.h"

namespace stratus::auth {

std::string csrfTokenFor(std::string_view sessionCookieValue, std::string_view key) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state,
                                reinterpret_cast<const unsigned char*>(sessionCookieValue.data()),
                                sessionCookieValue.size());
  crypto_auth_hmacsha256_final(&state, mac);
  char encoded[sodium_base64_ENCODED_LEN(sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(encoded, sizeof encoded, mac, sizeof mac,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return encoded;
}

bool csrfTokenMatches(std::string_view token, std::string_view sessionCookieValue,
                      std::string_view key) {
  if (token.empty() || sessionCookieValue.empty()) return false;
  return constantTimeEquals(token, csrfTokenFor(sessionCookieValue, key));
}

}  // namespace stratus::auth
