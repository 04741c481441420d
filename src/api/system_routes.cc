// /healthz (the process answers), /readyz (its storage answers) and /metrics (Prometheus).
#include "api/routes.h"
#include "metrics/text_format.h"

namespace stratus::api {

bool isUploadRoute(std::string_view method, std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  if (method == "POST" && (path == "/api/v1/functions" || path == "/api/user/functions/new"))
    return true;
  if (method == "POST" && path == "/2015-03-31/functions") return true;
  return method == "PUT" &&
         (path.starts_with("/api/v1/functions/") || path.starts_with("/2015-03-31/functions/")) &&
         path.ends_with("/code");
}

void registerSystemRoutes(http::Router& router, ApiContext& context) {
  router.add("GET", "/healthz", [](http::Request&) {
    return http::Response::json(200, boost::json::object{{"status", "ok"}});
  });
  router.add("GET", "/readyz", [&context](http::Request&) {
    // A lookup that touches the database without depending on any row existing.
    auto probe = context.store.userById("readiness-probe");
    if (!probe && probe.error().kind != ErrorKind::not_found)
      return http::Response::error(503, "storage_unavailable", "metadata store is not reachable");
    return http::Response::json(200, boost::json::object{{"status", "ready"}});
  });
  router.add("GET", "/metrics", [&context](http::Request&) {
    if (!context.metrics)
      return http::Response::error(404, "not_found", "metrics are not collected on this server");
    http::Response response;
    response.status = 200;
    response.setHeader("Content-Type", std::string(metrics::kTextContentType));
    response.setHeader("Cache-Control", "no-store");
    response.body = context.metrics->render();
    return response;
  });
}

}  // namespace stratus::api
