// CSRF tokens for cookie-authenticated writes (double submit, signed). The token is an
// HMAC of the session cookie value under the server's CSRF key: the browser gets it in a
// readable `stratus_csrf` cookie and the page echoes it in X-CSRF-Token. A cross-site page
// can make the browser send the session cookie but can neither read our cookie nor compute
// the HMAC, and a token minted for one session is useless with another.
#pragma once

#include <string>
#include <string_view>

namespace stratus::auth {

inline constexpr std::string_view kCsrfCookie = "stratus_csrf";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

std::string csrfTokenFor(std::string_view sessionCookieValue, std::string_view key);
// Constant-time: how much of a guess matched never shows in the timing.
bool csrfTokenMatches(std::string_view token, std::string_view sessionCookieValue,
                      std::string_view key);

}  // namespace stratus::auth
