// Every HTTP route of the API, registered on one Router. Handlers are thin: they parse and
// authenticate, then call the services, which know nothing of HTTP.
#pragma once

#include <string>

#include <map>

#include "api/function_service.h"
#include "api/invoke_service.h"
#include "auth/auth_service.h"
#include "auth/email_flows.h"
#include "auth/oauth/provider.h"
#include "auth/rate_limiter.h"
#include "http/router.h"
#include "http/static_site.h"
#include "metrics/registry.h"
#include "store/metadata_store.h"

namespace stratus::api {

namespace lambda {
class EventQueue;
}

struct ApiOptions {
  std::string publicBaseUrl = "http://127.0.0.1:8080";  // for invoke URLs and mail links
  bool secureCookies = false;  // always mark cookies Secure (also implied by an https URL)
  // Believe X-Forwarded-For / X-Forwarded-Proto: only behind a proxy that sets them.
  bool trustProxy = false;
  // An account must verify its email before it deploys, invokes or makes API keys.
  bool requireVerifiedEmail = true;
  bool rateLimits = true;
  blob::PackageLimits package;
};

// Keys derived from the server secret (auth/server_secret.h), one per purpose.
struct ApiKeys {
  std::string csrf;
  std::string oauthFlow;
};

using OAuthProviders = std::map<std::string, auth::oauth::OAuthProviderPtr, std::less<>>;

struct ApiContext {
  store::MetadataStore& store;
  auth::AuthService& auth;
  auth::EmailFlows& email;
  auth::RateLimiter& limiter;
  const OAuthProviders& providers;  // configured sign-in providers, by name
  FunctionService& functions;
  InvokeService& invoker;
  ApiKeys keys;
  ApiOptions options;
  const metrics::Registry* metrics = nullptr;  // served at /metrics when set
  // Runs the Lambda API's asynchronous (Event) invocations; without it they answer 501.
  lambda::EventQueue* events = nullptr;
  // The dashboard's files (http/static_site.h); without them "/" answers a plain-text note.
  const http::StaticSite* dashboard = nullptr;
};

void registerSystemRoutes(http::Router& router, ApiContext& context);
void registerAuthRoutes(http::Router& router, ApiContext& context);
void registerEmailRoutes(http::Router& router, ApiContext& context);
void registerOAuthRoutes(http::Router& router, ApiContext& context);
void registerKeyRoutes(http::Router& router, ApiContext& context);
void registerFunctionRoutes(http::Router& router, ApiContext& context);
// The dashboard's read-only views of a function: its invocations page by page, its
// per-minute metrics, its code.
void registerInvocationRoutes(http::Router& router, ApiContext& context);
void registerCodeRoutes(http::Router& router, ApiContext& context);
// GET /api/v1/executors: which executors this server can run.
void registerExecutorRoutes(http::Router& router, ApiContext& context);
// The dashboard's files and its routes (after every API route, which wins on a tie), or
// the plain-text note at "/" when there is no dashboard.
void registerDashboardRoutes(http::Router& router, ApiContext& context);
void registerSeedRoutes(http::Router& router, ApiContext& context);
// The AWS Lambda-compatible API and function URLs (api/lambda/).
void registerLambdaRoutes(http::Router& router, ApiContext& context);

inline void registerAllRoutes(http::Router& router, ApiContext& context) {
  registerSystemRoutes(router, context);
  registerAuthRoutes(router, context);
  registerEmailRoutes(router, context);
  registerOAuthRoutes(router, context);
  registerKeyRoutes(router, context);
  registerFunctionRoutes(router, context);
  registerSeedRoutes(router, context);
  registerLambdaRoutes(router, context);
  registerInvocationRoutes(router, context);
  registerCodeRoutes(router, context);
  registerExecutorRoutes(router, context);
  registerDashboardRoutes(router, context);
}

// Whether a request may carry an upload (50 MB) rather than an invoke payload (6 MB): the
// v1 and clone uploads, and the Lambda API's CreateFunction and UpdateFunctionCode.
bool isUploadRoute(std::string_view method, std::string_view target);

}  // namespace stratus::api
