// /api/v1/api-keys: create (shown once), list, revoke. Keys deploy and invoke, so only a
// verified account may make one.
#include "api/request_support.h"
#include "api/routes.h"

namespace stratus::api {

void registerKeyRoutes(http::Router& router, ApiContext& context) {
  router.add("POST", "/api/v1/api-keys", [&context](http::Request& request) {
    auto identity = authenticate(request, context);
    if (!identity) return http::Response::error(identity.error());
    auto body = parseJsonObject(request);
    if (!body) return http::Response::error(body.error());
    auto created = context.auth.createApiKey(identity->user.id, stringMember(*body, "name"));
    if (!created) return http::Response::error(created.error());
    return http::Response::json(
        201, boost::json::object{{"apiKey", apiKeyJson(created->record)}, {"key", created->key}});
  });

  router.add("GET", "/api/v1/api-keys", [&context](http::Request& request) {
    auto identity = authenticate(request, context, Verification::optional);
    if (!identity) return http::Response::error(identity.error());
    auto keys = context.auth.listApiKeys(identity->user.id);
    if (!keys) return http::Response::error(keys.error());
    boost::json::array list;
    for (const auto& key : *keys) list.push_back(apiKeyJson(key));
    return http::Response::json(200, boost::json::object{{"apiKeys", std::move(list)}});
  });

  router.add("DELETE", "/api/v1/api-keys/{id}", [&context](http::Request& request) {
    auto identity = authenticate(request, context, Verification::optional);
    if (!identity) return http::Response::error(identity.error());
    if (auto ok = context.auth.revokeApiKey(identity->user.id, request.params["id"]); !ok)
      return http::Response::error(ok.error());
    http::Response response;
    response.status = 204;
    return response;
  });
}

}  // namespace stratus::api
