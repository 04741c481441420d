#include "http/cookies.h"

#include <algorithm>

#include "http/content_type.h"

namespace stratus::http {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// RFC 6265 §4.1.1 cookie-octet: visible ASCII except DQUOTE, comma, semicolon, backslash.
bool isCookieOctet(char c) {
  auto u = static_cast<unsigned char>(c);
  return u >= 0x21 && u <= 0x7e && c != '"' && c != ',' && c != ';' && c != '\\';
}

bool isAttributeValue(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u != 0x7f && c != ';';
  });
}

}  // namespace

std::vector<std::pair<std::string, std::string>> parseCookies(std::string_view header) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t start = 0;
  while (start <= header.size()) {
    std::size_t end = header.find(';', start);
    if (end == std::string_view::npos) end = header.size();
    std::string_view piece = header.substr(start, end - start);
    start = end + 1;
    std::size_t equals = piece.find('=');
    if (equals == std::string_view::npos) continue;
    std::string_view name = trim(piece.substr(0, equals));
    std::string_view value = trim(piece.substr(equals + 1));
    if (name.empty()) continue;
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    out.emplace_back(std::string(name), std::string(value));
  }
  return out;
}

std::optional<std::string> findCookie(std::string_view header, std::string_view name) {
  for (auto& [key, value] : parseCookies(header)) {
    if (key == name) return std::move(value);
  }
  return std::nullopt;
}

Result<std::string> formatSetCookie(const SetCookie& cookie) {
  if (!isToken(cookie.name)) return invalid("invalid_cookie", "cookie name is not a token");
  if (!std::all_of(cookie.value.begin(), cookie.value.end(), isCookieOctet)) {
    return invalid("invalid_cookie", "cookie value has characters outside cookie-octet");
  }
  if (!isAttributeValue(cookie.path) || !isAttributeValue(cookie.domain)) {
    return invalid("invalid_cookie", "cookie path or domain has ';' or control characters");
  }
  if (cookie.sameSite == SameSite::none && !cookie.secure) {
    return invalid("invalid_cookie", "SameSite=None requires Secure");
  }
  std::string out = cookie.name + "=" + cookie.value;
  if (!cookie.path.empty()) out += "; Path=" + cookie.path;
  if (!cookie.domain.empty()) out += "; Domain=" + cookie.domain;
  if (cookie.maxAge) {
    out += "; Max-Age=" + std::to_string(std::max<long long>(0, cookie.maxAge->count()));
  }
  if (cookie.httpOnly) out += "; HttpOnly";
  if (cookie.secure) out += "; Secure";
  switch (cookie.sameSite) {
    case SameSite::unset:
      break;
    case SameSite::lax:
      out += "; SameSite=Lax";
      break;
    case SameSite::strict:
      out += "; SameSite=Strict";
      break;
    case SameSite::none:
      out += "; SameSite=None";
      break;
  }
  return out;
}

}  // namespace stratus::http
