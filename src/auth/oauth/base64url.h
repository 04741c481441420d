// base64url (RFC 4648 §5), the encoding of every part of a JWS/JWT, of JWK numbers, of PKCE
// values and of the sealed flow cookie. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace stratus::auth::oauth {

// Encodes without '=' padding, as JOSE (RFC 7515 §2) and PKCE (RFC 7636 §4.1) require.
std::string base64UrlEncode(std::string_view bytes);

// Decodes, with or without trailing '=' padding. Refuses anything that is not canonical
// base64url: characters outside [A-Za-z0-9_-] (so no '+', '/', whitespace or line breaks),
// an impossible length, padding in the middle or of the wrong size, and non-zero unused bits
// in the last character. Strictness matters because the same token must not have two
// spellings (a signature check is over the text, a cache or replay check may be too).
std::optional<std::string> base64UrlDecode(std::string_view text);

}  // namespace stratus::auth::oauth
