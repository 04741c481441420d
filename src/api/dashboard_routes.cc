// The dashboard (http/static_site.h) at "/", its hashed assets and its own routes; or, on
// a server without a built dashboard, a plain-text note at "/".
#include "api/routes.h"

namespace stratus::api {

void registerDashboardRoutes(http::Router& router, ApiContext& context) {
  const http::StaticSite* site = context.dashboard;
  if (!site) {
    router.add("GET", "/", [](http::Request&) {
      return http::Response::text(
          200,
          "Stratus is running.\n\n"
          "  stratus signup you@example.com      create an account and an API key\n"
          "  stratus deploy cloud.py --name cloud --handler cloud.calculator\n"
          "  stratus invoke cloud 10 5\n\n"
          "API reference: docs/api.md in the source tree. Health: /healthz\n");
    });
    return;
  }
  // Exact paths only: a request reaches the table only by naming one of its files or one
  // of the app's routes, and the API's routes, added before, win any tie.
  for (const auto& pattern : site->routePatterns()) {
    router.add("GET", pattern, [site](http::Request& request) {
      if (auto response = site->respond(request)) return std::move(*response);
      return http::Response::error(404, "not_found", "no such page");
    });
  }
}

}  // namespace stratus::api
