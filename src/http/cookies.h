// Cookie request header parsing and Set-Cookie formatting (RFC 6265).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"

namespace stratus::http {

// "a=1; b=\"2\"; junk; c=" -> [(a,1), (b,2), (c,"")]: pairs in order, duplicates kept (a
// browser sends the most specific path first), surrounding quotes stripped, no decoding.
// Pieces without '=' or with an empty name are skipped; never fails.
std::vector<std::pair<std::string, std::string>> parseCookies(std::string_view cookieHeader);

// The first cookie of that name.
std::optional<std::string> findCookie(std::string_view cookieHeader, std::string_view name);

enum class SameSite { unset, lax, strict, none };

struct SetCookie {
  std::string name;
  std::string value;
  std::string path = "/";
  std::string domain;                          // empty: host-only cookie
  std::optional<std::chrono::seconds> maxAge;  // nullopt: session cookie; 0 deletes
  bool httpOnly = true;
  bool secure = false;
  SameSite sameSite = SameSite::lax;
};

// "sid=abc; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Lax". Fails with
// "invalid_cookie" when the name is not a token, the value has characters outside
// cookie-octet, path/domain contain ';' or control characters, or SameSite=None is asked
// for without Secure (browsers drop such cookies).
Result<std::string> formatSetCookie(const SetCookie& cookie);

}  // namespace stratus::http
