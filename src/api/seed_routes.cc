// The original clone's routes, kept working unchanged (DESIGN §4):
//   GET    /api/function/{userId}/{handler}/{sandbox|docker|nanos}?a=..&b=..
//   GET    /api/user/functions
//   POST   /api/user/functions/new      (multipart)
//   DELETE /api/user/functions/{id}
#include <boost/json/serialize.hpp>

#include "api/request_support.h"
#include "api/routes.h"
#include "common/utf8.h"

namespace stratus::api {
namespace {

std::unexpected<Error> noSuchFunction(const std::string& handler) {
  return fail(ErrorKind::not_found, "function_not_found",
              "no function '" + handler + "' for this user");
}

// {handler} is a function's name or, as in the clone, its handler. Only functions the
// caller may run are candidates, so a private function of someone else is simply absent.
Result<store::Function> resolve(ApiContext& context, const std::string& userId,
                                const std::string& handler, bool isOwner) {
  auto functions = context.store.listFunctions(userId);
  if (!functions) {
    if (functions.error().kind == ErrorKind::not_found) return noSuchFunction(handler);
    return std::unexpected(functions.error());
  }
  std::vector<store::Function> byName, byHandler;
  for (auto& f : *functions) {
    if (!isOwner && !f.isPublic) continue;
    if (f.name == handler) byName.push_back(f);
    else if (f.handler == handler) byHandler.push_back(f);
  }
  if (!byName.empty()) return byName.front();  // names are unique per user
  if (byHandler.size() == 1) return byHandler.front();
  if (byHandler.empty()) return noSuchFunction(handler);
  std::string names;
  for (auto& f : byHandler) names += (names.empty() ? "" : ", ") + f.name;
  return fail(ErrorKind::conflict, "ambiguous_handler",
              "handler '" + handler + "' matches several functions (" + names +
                  "); call one by name");
}

}  // namespace

void registerSeedRoutes(http::Router& router, ApiContext& context) {
  router.add("GET", "/api/function/{userId}/{handler}/{executor}", [&context](
                                                                       http::Request& request) {
    const std::string& executor = request.params["executor"];
    if (executor != "sandbox" && executor != "docker" && executor != "nanos")
      return http::Response::error(404, "unknown_executor",
                                   "executor must be sandbox, docker or nanos");
    auto identity = authenticateOptional(request, context, /*changesState=*/true);
    if (!identity) return http::Response::error(identity.error());
    const std::string& userId = request.params["userId"];
    bool isOwner = *identity && (*identity)->user.id == userId;
    auto function = resolve(context, userId, request.params["handler"], isOwner);
    if (!function) return http::Response::error(function.error());
    if (function->mode == "handler") {
      // A handler gets the query as its event: {"a": "10", "b": "5"}.
      if (executor != function->executor)
        return http::Response::error(400, "executor_mismatch",
                                     "a handler-mode function runs on its own executor (" +
                                         function->executor + ")");
      boost::json::object event;
      for (auto& [key, value] : request.query) event[key] = toValidUtf8(value);
      auto outcome = context.invoker.invokeHandler(*function, boost::json::serialize(event));
      if (!outcome) return http::Response::error(outcome.error());
      return handlerResponse(std::move(*outcome));
    }
    std::vector<std::string> args;
    for (auto& [key, value] : request.query) args.push_back(value);
    auto outcome = context.invoker.runScript(*function, executor, std::move(args));
    if (!outcome) return http::Response::error(outcome.error());
    auto response = http::Response::json(200, scriptResultJson(*outcome));
    setInvocationHeaders(response, outcome->record, outcome->facts);
    return response;
  });

  router.add("GET", "/api/user/functions", [&context](http::Request& request) {
    auto identity = authenticate(request, context);
    if (!identity) return http::Response::error(identity.error());
    auto functions = context.store.listFunctions(identity->user.id);
    if (!functions) return http::Response::error(functions.error());
    boost::json::array list;
    for (const auto& f : *functions)
      list.push_back(functionJson(f, std::nullopt, context.options.publicBaseUrl));
    return http::Response::json(200, list);
  });

  router.add("POST", "/api/user/functions/new", [&context](http::Request& request) {
    auto identity = authenticate(request, context);
    if (!identity) return http::Response::error(identity.error());
    auto created = createFromUpload(context, request, identity->user.id);
    if (!created) return http::Response::error(created.error());
    if (created->prewarm > 0) context.invoker.configurePrewarm(*created);
    return http::Response::json(
        201, boost::json::object{{"function", functionJson(*created, std::nullopt,
                                                           context.options.publicBaseUrl)}});
  });

  router.add("DELETE", "/api/user/functions/{id}", [&context](http::Request& request) {
    auto identity = authenticate(request, context);
    if (!identity) return http::Response::error(identity.error());
    auto function = context.store.functionById(identity->user.id, request.params["id"]);
    if (!function) return http::Response::error(function.error());
    if (auto ok = context.functions.remove(*function); !ok) return http::Response::error(ok.error());
    context.invoker.forget(function->id);
    return http::Response::json(200, boost::json::object{{"deleted", true}, {"id", function->id}});
  });
}

}  // namespace stratus::api
