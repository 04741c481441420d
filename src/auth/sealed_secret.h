// Secrets the server must read back later, sealed with a key derived from the server's
// secret: an API key's secret (ServerSecret::subkey("api-key-secret"), which AWS Signature
// Version 4 needs whole) and the OAuth flow cookie (oauth/flow_cookie.h).
// base64url(nonce || XSalsa20-Poly1305(plain)) with libsodium's secretbox and a random nonce
// per seal. A stolen database alone then yields no usable key; the database together with
// the server's secret does, which is the price of SigV4.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"

namespace stratus::auth {

// key32 must be 32 bytes (a broken invariant otherwise: aborts).
std::string sealSecret(std::string_view plain, std::string_view key32);
// forbidden "sealed_secret_invalid" when the text was not sealed under this key (another
// server secret) or was changed.
Result<std::string> openSealedSecret(std::string_view sealed, std::string_view key32);

}  // namespace stratus::auth
