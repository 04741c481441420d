#include "api/auth_support.h"

#include <algorithm>
#include <boost/asio/ip/address_v6.hpp>
#include <chrono>

#include "auth/csrf.h"
#include "common/clock.h"
#include "http/cookies.h"

namespace stratus::api {
namespace {

std::string cookieLine(std::string_view name, std::string value, int64_t maxAgeS, bool httpOnly,
                       bool secure) {
  http::SetCookie cookie;
  cookie.name = std::string(name);
  cookie.value = std::move(value);
  cookie.maxAge = std::chrono::seconds(maxAgeS);
  cookie.httpOnly = httpOnly;
  cookie.secure = secure;
  // Lax: the cookie still rides on a top-level navigation back from GitHub or Google, and
  // never on a cross-site POST or fetch.
  cookie.sameSite = http::SameSite::lax;
  // Both values are our own base64url, always valid cookie-octets.
  return http::formatSetCookie(cookie).value_or("");
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

bool wantsSecureCookies(const http::Request& request, const ApiContext& context) {
  if (context.options.secureCookies || context.options.publicBaseUrl.starts_with("https://"))
    return true;
  if (!context.options.trustProxy) return false;
  auto proto = request.header("X-Forwarded-Proto");
  return proto && trim(*proto) == "https";
}

void setSessionCookies(http::Response& response, const http::Request& request,
                       const ApiContext& context, const auth::NewSession& session) {
  const bool secure = wantsSecureCookies(request, context);
  const int64_t maxAgeS = std::max<int64_t>(0, (session.expiresAt - nowMs()) / 1000);
  response.addHeader("Set-Cookie", cookieLine(auth::kSessionCookie, session.cookieValue, maxAgeS,
                                              true, secure));
  // Readable by our own pages, which echo it in X-CSRF-Token.
  response.addHeader("Set-Cookie",
                     cookieLine(auth::kCsrfCookie,
                                auth::csrfTokenFor(session.cookieValue, context.keys.csrf),
                                maxAgeS, false, secure));
}

void clearSessionCookies(http::Response& response, const http::Request& request,
                         const ApiContext& context) {
  const bool secure = wantsSecureCookies(request, context);
  response.addHeader("Set-Cookie", cookieLine(auth::kSessionCookie, "", 0, true, secure));
  response.addHeader("Set-Cookie", cookieLine(auth::kCsrfCookie, "", 0, false, secure));
}

std::optional<std::string> sessionCookieOf(const http::Request& request) {
  auto header = request.header("Cookie");
  if (!header) return std::nullopt;
  return http::findCookie(*header, auth::kSessionCookie);
}

namespace {

std::string peerAddress(const http::Request& request, const ApiContext& context) {
  if (context.options.trustProxy) {
    if (auto forwarded = request.header("X-Forwarded-For")) {
      std::string_view list = *forwarded;
      auto comma = list.rfind(',');
      auto last = trim(comma == std::string_view::npos ? list : list.substr(comma + 1));
      if (!last.empty() && last.size() <= 64) return std::string(last);
    }
  }
  return request.remoteAddress;
}

}  // namespace

std::string clientAddress(const http::Request& request, const ApiContext& context) {
  std::string address = peerAddress(request, context);
  // One IPv6 subscriber usually holds a whole /64: counting each of its 2^64 addresses
  // separately would let it dodge every per-address limit.
  boost::system::error_code ec;
  auto parsed = boost::asio::ip::make_address_v6(address, ec);
  if (ec || parsed.is_v4_mapped()) return address;
  auto bytes = parsed.to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

std::optional<http::Response> throttled(ApiContext& context,
                                        std::initializer_list<std::string> keys) {
  if (!context.options.rateLimits) return std::nullopt;
  int64_t wait = 0;
  for (const auto& key : keys) wait = std::max(wait, context.limiter.retryAfterMs(key));
  if (wait == 0) return std::nullopt;
  const int64_t seconds = (wait + 999) / 1000;
  auto response = http::Response::error(
      429, "rate_limited", "too many attempts; try again in " + std::to_string(seconds) + " s");
  response.setHeader("Retry-After", std::to_string(seconds));
  return response;
}

void recordAttempt(ApiContext& context, const std::string& key, const auth::RatePolicy& policy) {
  if (context.options.rateLimits) context.limiter.record(key, policy);
}

}  // namespace stratus::api
