// What the account routes share: the pair of session cookies, the client's address, the
// Secure-cookie decision and throttling with its 429 answer.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>

#include "api/routes.h"
#include "auth/rate_limiter.h"
#include "http/message.h"

namespace stratus::api {

// Sets the HttpOnly session cookie and the readable CSRF cookie bound to it.
void setSessionCookies(http::Response& response, const http::Request& request,
                       const ApiContext& context, const auth::NewSession& session);
// Expires both.
void clearSessionCookies(http::Response& response, const http::Request& request,
                         const ApiContext& context);
std::optional<std::string> sessionCookieOf(const http::Request& request);

// Secure when configured, when the public URL is https, or when a trusted proxy says the
// browser spoke https (X-Forwarded-Proto).
bool wantsSecureCookies(const http::Request& request, const ApiContext& context);

// The peer address, as throttling counts it; behind a trusted proxy, the last address of
// X-Forwarded-For (the one our proxy added; the ones before it are the client's to
// invent). IPv6 addresses count by their /64.
std::string clientAddress(const http::Request& request, const ApiContext& context);

// The throttles of the account endpoints (auth/rate_limiter.h explains the shape).
namespace throttle {
inline constexpr auth::RatePolicy kSignInPerAccount{5, 1000, 15 * 60 * 1000, 15 * 60 * 1000};
inline constexpr auth::RatePolicy kSignInPerAddress{20, 1000, 15 * 60 * 1000, 15 * 60 * 1000};
inline constexpr auth::RatePolicy kSignUpPerAddress{20, 10 * 1000, 60 * 60 * 1000, 60 * 60 * 1000};
inline constexpr auth::RatePolicy kMailPerAccount{3, 60 * 1000, 60 * 60 * 1000, 60 * 60 * 1000};
inline constexpr auth::RatePolicy kMailPerAddress{10, 10 * 1000, 60 * 60 * 1000, 60 * 60 * 1000};
inline constexpr auth::RatePolicy kTokenPerAddress{10, 1000, 15 * 60 * 1000, 15 * 60 * 1000};
}  // namespace throttle

// A 429 with Retry-After when any key is blocked; nothing when all may go (or when rate
// limits are switched off).
std::optional<http::Response> throttled(ApiContext& context,
                                        std::initializer_list<std::string> keys);
void recordAttempt(ApiContext& context, const std::string& key, const auth::RatePolicy& policy);

}  // namespace stratus::api
