// Every HTTP route of the API, registered on one Router. Handlers are thin: they parse and
// authenticate, then call the services, which know nothing of HTTP.
#pragma once

#include <string>

#include "api/function_service.h"
#include "api/invoke_service.h"
#include "auth/auth_service.h"
#include "http/router.h"
#include "store/metadata_store.h"

namespace stratus::api {

struct ApiOptions {
  std::string publicBaseUrl = "http://127.0.0.1:8080";  // for invoke URLs shown to users
  bool secureCookies = false;  // set behind TLS
  blob::PackageLimits package;
};

struct ApiContext {
  store::MetadataStore& store;
  auth::AuthService& auth;
  FunctionService& functions;
  InvokeService& invoker;
  ApiOptions options;
};

void registerSystemRoutes(http::Router& router, ApiContext& context);
void registerAccountRoutes(http::Router& router, ApiContext& context);
void registerFunctionRoutes(http::Router& router, ApiContext& context);
void registerSeedRoutes(http::Router& router, ApiContext& context);

inline void registerAllRoutes(http::Router& router, ApiContext& context) {
  registerSystemRoutes(router, context);
  registerAccountRoutes(router, context);
  registerFunctionRoutes(router, context);
  registerSeedRoutes(router, context);
}

// Whether a request may carry an upload (50 MB) rather than an invoke payload (6 MB).
bool isUploadRoute(std::string_view method, std::string_view target);

}  // namespace stratus::api
