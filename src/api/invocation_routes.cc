// A function's invocation history for the dashboard and the CLI: records page by page
// (GET .../invocations) and per-bucket counts and percentiles (GET .../metrics).
#include "api/invocation_cursor.h"
#include "api/invocation_insights.h"
#include "api/request_support.h"
#include "api/routes.h"
#include "common/clock.h"

namespace stratus::api {
namespace {

// What the route allowed before it had pages; `stratus logs --limit` relies on it.
constexpr int kMaxPage = 1000;

bool isInvocationStatus(std::string_view status) {
  return status == "ok" || status == "error" || status == "timeout" || status == "killed";
}

Result<store::InvocationQuery> pageQuery(const http::Request& request, const std::string& functionId) {
  store::InvocationQuery query{.functionId = functionId, .limit = 50};
  if (auto text = request.queryValue("limit")) {
    auto parsed = parseBoundedInt(*text, 1, kMaxPage, "invalid_limit", "limit");
    if (!parsed) return std::unexpected(parsed.error());
    query.limit = *parsed;
  }
  if (auto status = request.queryValue("status")) {
    if (!isInvocationStatus(*status))
      return invalid("invalid_status", "status must be ok, error, timeout or killed");
    query.status = std::string(*status);
  }
  if (auto before = request.queryValue("before")) {
    auto cursor = decodeInvocationCursor(*before);
    if (!cursor) return std::unexpected(cursor.error());
    query.before = std::move(*cursor);
  }
  return query;
}

}  // namespace

void registerInvocationRoutes(http::Router& router, ApiContext& context) {
  router.add("GET", "/api/v1/functions/{name}/invocations",
             withFunction(context, [&context](http::Request& request, auto&,
                                              const store::Function& f) {
               auto query = pageQuery(request, f.id);
               if (!query) return http::Response::error(query.error());
               context.invoker.flushRecords();  // the caller's own calls are listed
               // One row more than asked tells whether another page follows.
               const int wanted = query->limit;
               ++query->limit;
               auto invocations = context.store.queryInvocations(*query);
               if (!invocations) return http::Response::error(invocations.error());
               boost::json::value next = nullptr;
               if (invocations->size() > std::size_t(wanted)) {
                 invocations->resize(std::size_t(wanted));
                 const auto& last = invocations->back();
                 next = encodeInvocationCursor({last.startedAt, last.id});
               }
               boost::json::array list;
               for (const auto& i : *invocations) list.push_back(invocationJson(i));
               return http::Response::json(
                   200, boost::json::object{{"invocations", std::move(list)}, {"nextCursor", next}});
             }));

  router.add("GET", "/api/v1/functions/{name}/metrics",
             withFunction(context, [&context](http::Request& request, auto&,
                                              const store::Function& f) {
               auto window = metricsWindow(request.queryValue("window").value_or("1h"));
               if (!window)
                 return http::Response::error(400, "invalid_window", "window must be 1h or 24h");
               context.invoker.flushRecords();
               auto metrics = functionMetricsJson(context.store, f.id, *window, nowMs());
               if (!metrics) return http::Response::error(metrics.error());
               return http::Response::json(200, *metrics);
             }));
}

}  // namespace stratus::api
