#include "api/invocation_cursor.h"

#include <charconv>

#include "auth/oauth/base64url.h"

namespace stratus::api {
namespace {

// A version prefix, so a later form can tell old cursors apart instead of misreading them.
constexpr std::string_view kPrefix = "i1.";
constexpr std::size_t kMaxIdLength = 64;

bool isIdCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

std::string encodeInvocationCursor(const store::InvocationCursor& cursor) {
  return auth::oauth::base64UrlEncode(std::string(kPrefix) + std::to_string(cursor.startedAt) +
                                      "." + cursor.id);
}

Result<store::InvocationCursor> decodeInvocationCursor(std::string_view text) {
  auto refused = [] {
    return invalid("invalid_cursor", "before must be a nextCursor value from an earlier page");
  };
  if (text.empty() || text.size() > 200) return refused();
  auto decoded = auth::oauth::base64UrlDecode(text);
  if (!decoded || !decoded->starts_with(kPrefix)) return refused();
  std::string_view rest = std::string_view(*decoded).substr(kPrefix.size());
  auto dot = rest.find('.');
  if (dot == std::string_view::npos || dot == 0) return refused();
  store::InvocationCursor cursor;
  std::string_view number = rest.substr(0, dot);
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), cursor.startedAt);
  if (ec != std::errc() || end != number.data() + number.size() || cursor.startedAt < 0)
    return refused();
  std::string_view id = rest.substr(dot + 1);
  if (id.empty() || id.size() > kMaxIdLength) return refused();
  for (char c : id)
    if (!isIdCharacter(c)) return refused();
  cursor.id = std::string(id);
  return cursor;
}

}  // namespace stratus::api
