// The state of one sign-in between "start" and "callback", kept in the browser that started
// it as a short-lived HttpOnly cookie instead of in server memory: any node of a cluster can
// finish the flow, a restart loses nothing, and the callback's `state` is accepted only from
// the browser holding the cookie (login CSRF, RFC 6749 §10.12). The cookie is encrypted and
// authenticated (libsodium secretbox), so the PKCE verifier and nonce cannot be read from it
// and no field can be changed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"

namespace stratus::auth::oauth {

struct FlowState {
  std::string provider, state, nonce, codeVerifier, returnTo;
  int64_t expiresAtMs = 0;
};

// base64url(nonce || secretbox(json(flow))). key32 must be exactly 32 bytes (a server
// subkey); any other length is a programming error and aborts.
std::string sealFlow(const FlowState& flow, std::string_view key32);

// The sealed flow back, if it was sealed with key32 and is unchanged: otherwise
// "oauth_flow_invalid"; past its expiresAtMs "oauth_flow_expired". Both ErrorKind::forbidden.
Result<FlowState> openFlow(std::string_view cookieValue, std::string_view key32, int64_t nowMs);

}  // namespace stratus::auth::oauth
