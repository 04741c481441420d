// Sign-in with GitHub and Google (or any OIDC provider configured as "google").
//
//   GET /api/v1/auth/providers                    which buttons to show
//   GET /api/v1/auth/oauth/{provider}/start       -> 302 to the provider
//   GET /api/v1/auth/oauth/{provider}/callback    <- the provider sends the browser back
//
// `state`, the OIDC nonce and the PKCE verifier travel in a sealed, HttpOnly cookie scoped
// to these paths (auth/oauth/flow_cookie.h): a callback is accepted only from the browser
// that started the flow, within ten minutes, once.
#include "api/auth_support.h"
#include "api/html_page.h"
#include "api/request_support.h"
#include "api/routes.h"
#include "auth/mail_templates.h"
#include "auth/oauth/flow_cookie.h"
#include "auth/oauth_login.h"
#include "common/clock.h"
#include "common/crypto.h"
#include "common/log.h"
#include "http/cookies.h"

namespace stratus::api {
namespace {

constexpr std::string_view kFlowCookie = "stratus_oauth";
constexpr std::string_view kFlowPath = "/api/v1/auth/oauth";
constexpr int64_t kFlowLifetimeMs = 10 * 60 * 1000;

std::string redirectUri(const ApiContext& context, std::string_view provider) {
  return context.options.publicBaseUrl + std::string(kFlowPath) + "/" + std::string(provider) +
         "/callback";
}

std::string flowCookie(const http::Request& request, const ApiContext& context,
                       std::string value, int64_t maxAgeS) {
  http::SetCookie cookie;
  cookie.name = std::string(kFlowCookie);
  cookie.value = std::move(value);
  cookie.path = std::string(kFlowPath);
  cookie.maxAge = std::chrono::seconds(maxAgeS);
  cookie.httpOnly = true;
  cookie.secure = wantsSecureCookies(request, context);
  // Lax, not Strict: the callback is a top-level navigation from the provider's site, and a
  // Strict cookie would stay behind.
  cookie.sameSite = http::SameSite::lax;
  return http::formatSetCookie(cookie).value_or("");
}

// Only a path on this site: "/x" yes, "//evil.example" and "https://..." no.
std::string safeReturnTo(std::optional<std::string_view> requested) {
  if (!requested || requested->empty() || requested->size() > 512) return "/";
  std::string_view path = *requested;
  if (path.front() != '/' || path.starts_with("//") || path.starts_with("/\\")) return "/";
  for (char c : path)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "/";
  return std::string(path);
}

http::Response redirect(std::string location) {
  http::Response response;
  response.status = 302;
  response.setHeader("Location", std::move(location));
  response.setHeader("Cache-Control", "no-store");
  return response;
}

http::Response failure(const http::Request& request, const ApiContext& context,
                       const Error& error) {
  if (error.kind == ErrorKind::internal || error.kind == ErrorKind::unavailable)
    log::warn("provider sign-in failed", {{"code", error.code}, {"error", error.describe()}});
  auto response = http::Response::error(error);
  if (auto accept = request.header("Accept"); accept && accept->find("text/html") != std::string_view::npos) {
    const int status = response.status;
    std::string message = status >= 500 ? "The sign-in provider could not be reached. Try again."
                                        : error.message;
    response = htmlPage(status, "Sign-in did not work",
                        "<p>" + auth::escapeHtml(message) + "</p><p><code>" +
                            auth::escapeHtml(error.code) +
                            "</code></p><p><a href=\"/\">Back to Stratus</a></p>");
  }
  response.addHeader("Set-Cookie", flowCookie(request, context, "", 0));
  return response;
}

auth::oauth::OAuthProvider* providerNamed(ApiContext& context, std::string_view name) {
  auto found = context.providers.find(name);
  return found == context.providers.end() ? nullptr : found->second.get();
}

http::Response start(ApiContext& context, http::Request& request) {
  auto* provider = providerNamed(context, request.params["provider"]);
  if (!provider)
    return http::Response::error(404, "unknown_provider",
                                 "sign-in with '" + request.params["provider"] +
                                     "' is not configured on this server");
  auth::oauth::FlowState flow;
  flow.provider = std::string(provider->name());
  flow.returnTo = safeReturnTo(request.queryValue("returnTo"));
  flow.expiresAtMs = nowMs() + kFlowLifetimeMs;
  auto url = provider->authorizationUrl(flow, redirectUri(context, flow.provider));
  if (!url) return failure(request, context, url.error());
  auto response = redirect(*url);
  response.addHeader("Set-Cookie",
                     flowCookie(request, context, auth::oauth::sealFlow(flow, context.keys.oauthFlow),
                                kFlowLifetimeMs / 1000));
  return response;
}

http::Response callback(ApiContext& context, http::Request& request) {
  auto* provider = providerNamed(context, request.params["provider"]);
  if (!provider)
    return http::Response::error(404, "unknown_provider", "this sign-in provider is not configured");
  auto cookieHeader = request.header("Cookie");
  auto sealed = cookieHeader ? http::findCookie(*cookieHeader, kFlowCookie) : std::nullopt;
  if (!sealed || sealed->empty())
    return failure(request, context,
                   Error{ErrorKind::forbidden, "oauth_state_mismatch",
                         "this sign-in was not started in this browser, or took too long", {}});
  auto flow = auth::oauth::openFlow(*sealed, context.keys.oauthFlow, nowMs());
  if (!flow) return failure(request, context, flow.error());
  auto state = request.queryValue("state");
  if (flow->provider != provider->name() || !state || !constantTimeEquals(*state, flow->state))
    return failure(request, context,
                   Error{ErrorKind::forbidden, "oauth_state_mismatch",
                         "the sign-in response does not belong to this browser's sign-in", {}});
  if (auto denied = request.queryValue("error"))
    return failure(request, context,
                   Error{ErrorKind::unauthorized, "oauth_denied",
                         "the provider did not sign you in (" + std::string(denied->substr(0, 64)) + ")",
                         {}});
  auto code = request.queryValue("code");
  if (!code || code->empty() || code->size() > 2048)
    return failure(request, context,
                   Error{ErrorKind::invalid_argument, "oauth_code_missing",
                         "the provider sent no authorization code", {}});

  auto identity = provider->complete(*code, *flow, redirectUri(context, flow->provider));
  if (!identity) return failure(request, context, identity.error());
  auto signedIn = auth::signInWithProvider(context.store, *identity);
  if (!signedIn) return failure(request, context, signedIn.error());

  if (auto previous = sessionCookieOf(request)) (void)context.auth.signOut(*previous);
  auto session = context.auth.createSession(signedIn->user.id);
  if (!session) return failure(request, context, session.error());
  auto response = redirect(flow->returnTo);
  setSessionCookies(response, request, context, *session);
  response.addHeader("Set-Cookie", flowCookie(request, context, "", 0));
  return response;
}

}  // namespace

void registerOAuthRoutes(http::Router& router, ApiContext& context) {
  router.add("GET", "/api/v1/auth/providers", [&context](http::Request&) {
    boost::json::array providers;
    for (const auto& [name, provider] : context.providers)
      providers.push_back(boost::json::object{
          {"name", name}, {"startUrl", std::string(kFlowPath) + "/" + name + "/start"}});
    return http::Response::json(
        200, boost::json::object{{"providers", std::move(providers)},
                                 {"requireVerifiedEmail", context.options.requireVerifiedEmail}});
  });
  router.add("GET", "/api/v1/auth/oauth/{provider}/start",
             [&context](http::Request& request) { return start(context, request); });
  router.add("GET", "/api/v1/auth/oauth/{provider}/callback",
             [&context](http::Request& request) { return callback(context, request); });
}

}  // namespace stratus::api
