#include "auth/oauth/jwt.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <cctype>
#include <optional>

#include "auth/oauth/base64url.h"

namespace stratus::auth::oauth {
namespace {

// Real ID tokens are 1-2 KiB; the cap keeps a hostile token from costing much to refuse.
constexpr std::size_t kMaxTokenBytes = 16 * 1024;

std::unexpected<Error> malformed(std::string message) {
  return fail(ErrorKind::unauthorized, "jwt_malformed", std::move(message));
}

std::optional<boost::json::object> decodeObject(std::string_view part) {
  auto text = base64UrlDecode(part);
  if (!text) return std::nullopt;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(*text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

bool equalsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

Result<Jws> parseJws(std::string_view compact) {
  if (compact.size() > kMaxTokenBytes) return malformed("the token is too large");
  std::size_t first = compact.find('.');
  std::size_t second = first == std::string_view::npos ? first : compact.find('.', first + 1);
  if (second == std::string_view::npos || compact.find('.', second + 1) != std::string_view::npos)
    return malformed("a token has exactly three dot-separated parts");
  std::string_view headerPart = compact.substr(0, first);
  std::string_view payloadPart = compact.substr(first + 1, second - first - 1);
  std::string_view signaturePart = compact.substr(second + 1);
  // An empty signature is what an unsecured ("alg":"none") token carries.
  if (headerPart.empty() || payloadPart.empty() || signaturePart.empty())
    return malformed("a token part is empty");

  Jws jws;
  auto header = decodeObject(headerPart);
  if (!header) return malformed("the token header is not a base64url JSON object");
  auto payload = decodeObject(payloadPart);
  if (!payload) return malformed("the token payload is not a base64url JSON object");
  auto signature = base64UrlDecode(signaturePart);
  if (!signature) return malformed("the token signature is not base64url");
  jws.headerJson = std::move(*header);
  jws.payloadJson = std::move(*payload);
  jws.signature = std::move(*signature);
  jws.signingInput = std::string(compact.substr(0, second));

  const auto* alg = jws.headerJson.if_contains("alg");
  if (!alg || !alg->is_string() || alg->as_string().empty())
    return malformed("the token header names no algorithm");
  jws.alg = std::string(alg->as_string());
  if (equalsNoCase(jws.alg, "none")) return malformed("unsigned tokens are refused");
  if (const auto* kid = jws.headerJson.if_contains("kid")) {
    if (!kid->is_string()) return malformed("the token's key id is not a string");
    jws.kid = std::string(kid->as_string());
  }
  if (jws.headerJson.contains("crit"))
    return malformed("the token requires extensions this verifier does not implement");
  return jws;
}

}  // namespace stratus::auth::oauth
