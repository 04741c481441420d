// GET /api/v1/executors: the three executors and whether this server can run each, so the
// dashboard offers only what works and says why the others do not.
#include "api/request_support.h"
#include "api/routes.h"

namespace stratus::api {
namespace {

struct ExecutorInfo {
  const char* name;
  // Shown to users: says what the server lacks without naming its paths or devices.
  const char* unavailableReason;
};

constexpr ExecutorInfo kExecutors[] = {
    {"sandbox", "this server cannot create sandboxes (it needs root and cgroups)"},
    {"docker", "this server has no Docker daemon or no runtime images"},
    {"nanos", "no Nanos kernel is installed on this server"},
};

}  // namespace

void registerExecutorRoutes(http::Router& router, ApiContext& context) {
  router.add("GET", "/api/v1/executors", [&context](http::Request& request) {
    auto identity = authenticate(request, context);
    if (!identity) return http::Response::error(identity.error());
    // The invoke service's list is what makes a call answer 501 executor_unavailable.
    const auto& available = context.invoker.executors();
    boost::json::array list;
    for (const auto& executor : kExecutors) {
      bool has = std::ranges::find(available, executor.name) != available.end();
      boost::json::object entry{{"name", executor.name}, {"available", has}};
      if (!has) entry["reason"] = executor.unavailableReason;
      list.push_back(std::move(entry));
    }
    return http::Response::json(200, boost::json::object{{"executors", std::move(list)}});
  });
}

}  // namespace stratus::api
