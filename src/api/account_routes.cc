// /api/v1/auth/*, /api/v1/me and /api/v1/api-keys.
#include <chrono>

#include "api/request_support.h"
#include "api/routes.h"
#include "common/clock.h"
#include "http/cookies.h"

namespace stratus::api {
namespace {

std::string stringMember(const boost::json::object& body, std::string_view key) {
  auto* value = body.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

std::string sessionCookie(const ApiContext& context, std::string value, int64_t maxAgeS) {
  http::SetCookie cookie;
  cookie.name = std::string(auth::kSessionCookie);
  cookie.value = std::move(value);
  cookie.maxAge = std::chrono::seconds(maxAgeS);
  cookie.httpOnly = true;
  cookie.secure = context.options.secureCookies;
  cookie.sameSite = http::SameSite::lax;
  // The value is our own base64url secret, always a valid cookie-octet string.
  return http::formatSetCookie(cookie).value_or("");
}

// A fresh session id at every sign-in, so an id planted before sign-in is worthless.
http::Response signedIn(ApiContext& context, const store::User& user, int status) {
  auto session = context.auth.createSession(user.id);
  if (!session) return http::Response::error(session.error());
  auto response = http::Response::json(status, boost::json::object{{"user", userJson(user)}});
  response.setHeader("Set-Cookie", sessionCookie(context, session->cookieValue,
                                                 (session->expiresAt - nowMs()) / 1000));
  return response;
}

}  // namespace

void registerAccountRoutes(http::Router& router, ApiContext& context) {
  router.add("POST", "/api/v1/auth/signup", [&context](http::Request& request) {
    auto body = parseJsonObject(request);
    if (!body) return http::Response::error(body.error());
    auto user = context.auth.signUp(stringMember(*body, "email"), stringMember(*body, "password"),
                                    stringMember(*body, "name"));
    if (!user) return http::Response::error(user.error());
    return signedIn(context, *user, 201);
  });

  router.add("POST", "/api/v1/auth/signin", [&context](http::Request& request) {
    auto body = parseJsonObject(request);
    if (!body) return http::Response::error(body.error());
    auto user = context.auth.signIn(stringMember(*body, "email"), stringMember(*body, "password"));
    if (!user) return http::Response::error(user.error());
    return signedIn(context, *user, 200);
  });

  router.add("POST", "/api/v1/auth/signout", [&context](http::Request& request) {
    if (auto header = request.header("Cookie"))
      if (auto session = http::findCookie(*header, auth::kSessionCookie))
        (void)context.auth.signOut(*session);
    http::Response response;
    response.status = 204;
    response.setHeader("Set-Cookie", sessionCookie(context, "", 0));
    return response;
  });

  router.add("GET", "/api/v1/me", [&context](http::Request& request) {
    auto identity = authenticate(request, context.auth);
    if (!identity) return http::Response::error(identity.error());
    return http::Response::json(200, boost::json::object{{"user", userJson(identity->user)}});
  });

  router.add("POST", "/api/v1/api-keys", [&context](http::Request& request) {
    auto identity = authenticate(request, context.auth);
    if (!identity) return http::Response::error(identity.error());
    auto body = parseJsonObject(request);
    if (!body) return http::Response::error(body.error());
    auto created = context.auth.createApiKey(identity->user.id, stringMember(*body, "name"));
    if (!created) return http::Response::error(created.error());
    return http::Response::json(
        201, boost::json::object{{"apiKey", apiKeyJson(created->record)}, {"key", created->key}});
  });

  router.add("GET", "/api/v1/api-keys", [&context](http::Request& request) {
    auto identity = authenticate(request, context.auth);
    if (!identity) return http::Response::error(identity.error());
    auto keys = context.auth.listApiKeys(identity->user.id);
    if (!keys) return http::Response::error(keys.error());
    boost::json::array list;
    for (const auto& key : *keys) list.push_back(apiKeyJson(key));
    return http::Response::json(200, boost::json::object{{"apiKeys", std::move(list)}});
  });

  router.add("DELETE", "/api/v1/api-keys/{id}", [&context](http::Request& request) {
    auto identity = authenticate(request, context.auth);
    if (!identity) return http::Response::error(identity.error());
    if (auto ok = context.auth.revokeApiKey(identity->user.id, request.params["id"]); !ok)
      return http::Response::error(ok.error());
    http::Response response;
    response.status = 204;
    return response;
  });
}

}  // namespace stratus::api
