// CreateFunctionUrlConfig, GetFunctionUrlConfig, DeleteFunctionUrlConfig, and the URLs
// themselves: /lambda-url/{id}/... answers plain HTTP with the function (payload format 2.0).
// AuthType NONE is open to anyone; AWS_IAM needs a SigV4 signature by one of the owner's
// API keys (Stratus has no IAM policies: the owner's keys are the only principals).
#include <boost/json.hpp>

#include "api/lambda/function_url_event.h"
#include "api/lambda/lambda_auth.h"
#include "api/lambda/lambda_names.h"
#include "api/lambda/lambda_routes.h"
#include "api/lambda/lambda_shapes.h"
#include "api/lambda/lambda_target.h"
#include "common/clock.h"
#include "common/crypto.h"
#include "common/log.h"

namespace stratus::api::lambda {
namespace json = boost::json;
namespace {

// Lambda's function URLs accept an alias as qualifier, or none.
Result<std::string> urlQualifier(ApiContext& context, const FunctionCall& call) {
  if (call.qualifier.empty()) return std::string();
  if (call.qualifier == kLatest || versionNumber(call.qualifier))
    return invalid("invalid_qualifier", "a function URL's Qualifier must be an alias name");
  auto alias = context.store.alias(call.function.id, call.qualifier);
  if (!alias) {
    if (alias.error().kind == ErrorKind::not_found)
      return fail(ErrorKind::not_found, "alias_not_found",
                  "Alias not found: " +
                      functionArn(call.function.userId, call.function.name, call.qualifier));
    return std::unexpected(alias.error());
  }
  return call.qualifier;
}

Result<store::FunctionUrl> findUrl(ApiContext& context, const FunctionCall& call) {
  auto qualifier = urlQualifier(context, call);
  if (!qualifier) return std::unexpected(qualifier.error());
  auto url = context.store.functionUrl(call.function.id, *qualifier);
  if (!url && url.error().kind == ErrorKind::not_found)
    return fail(ErrorKind::not_found, "function_url_not_found",
                "The resource you requested does not exist: no function URL for " +
                    functionArn(call.function.userId, call.function.name, *qualifier));
  return url;
}

Result<http::Response> createUrl(ApiContext& context, FunctionCall& call) {
  auto qualifier = urlQualifier(context, call);
  if (!qualifier) return std::unexpected(qualifier.error());
  auto body = jsonBody(call.request);
  if (!body) return std::unexpected(body.error());
  auto authType = optionalString(*body, "AuthType");
  if (!authType) return std::unexpected(authType.error());
  if (!*authType || (**authType != "NONE" && **authType != "AWS_IAM"))
    return invalid("invalid_auth_type", "AuthType must be NONE or AWS_IAM");
  auto mode = optionalString(*body, "InvokeMode");
  if (!mode) return std::unexpected(mode.error());
  if (*mode && **mode != "BUFFERED")
    return invalid("unsupported_parameter", "InvokeMode: only BUFFERED is supported");
  store::FunctionUrl url;
  url.id = newId();
  url.functionId = call.function.id;
  url.userId = call.function.userId;
  url.qualifier = *qualifier;
  url.authType = **authType;
  if (const auto* cors = body->if_contains("Cors"); cors && !cors->is_null()) {
    if (!cors->is_object()) return invalid("invalid_cors", "Cors must be an object");
    url.cors = json::serialize(*cors);
    if (url.cors.size() > 8192) return invalid("invalid_cors", "Cors is too large");
  }
  url.createdAt = url.updatedAt = nowMs();
  if (auto ok = context.store.createFunctionUrl(url); !ok) {
    if (ok.error().kind == ErrorKind::conflict)
      return fail(ErrorKind::conflict, "function_url_exists",
                  "Failed to create function url config for [functionArn = " +
                      functionArn(call.function.userId, call.function.name, url.qualifier) +
                      "]. Error message: FunctionUrlConfig exists for this Lambda function");
    return std::unexpected(ok.error());
  }
  return jsonResponse(201, functionUrlConfig(url, call.function, context.options.publicBaseUrl));
}

http::Response urlError(int status, std::string message) {
  return http::Response::json(status, json::object{{"Message", std::move(message)}});
}

// The path below /lambda-url/{id}, raw as it came, and the raw query.
std::pair<std::string, std::string> rawPathAndQuery(const std::string& target,
                                                    const std::string& urlId) {
  const std::string prefix = "/lambda-url/" + urlId;
  auto question = target.find('?');
  std::string path = target.substr(0, question);
  std::string query = question == std::string::npos ? "" : target.substr(question + 1);
  path = path.size() > prefix.size() ? path.substr(prefix.size()) : "/";
  return {path, query};
}

http::Response callUrl(ApiContext& context, http::Request& request) {
  const std::string urlId = request.params["urlId"];
  auto url = context.store.functionUrlById(urlId);
  if (!url) {
    if (url.error().kind == ErrorKind::not_found) return urlError(404, "Not Found");
    log::error("function url lookup failed", {{"error", url.error().describe()}});
    return urlError(503, "Service Unavailable");
  }
  if (url->authType == "AWS_IAM") {
    auto identity = authenticateSigned(request, context);
    if (!identity || identity->user.id != url->userId) return urlError(403, "Forbidden");
  }
  auto function = context.store.functionById(url->userId, url->functionId);
  if (!function) return urlError(404, "Not Found");
  auto target = resolveTarget(context.store, *function, url->qualifier, randomDraw());
  if (!target) return urlError(404, "Not Found");
  auto [rawPath, rawQuery] = rawPathAndQuery(request.target, urlId);
  UrlRequest call{request.method, rawPath,          rawQuery,        request.query,
                  &request.headers, request.body,   request.remoteAddress,
                  request.requestId.empty() ? newId() : request.requestId,
                  url->id,          url->userId,    nowMs()};
  auto outcome = context.invoker.invokeHandler(target->function, payloadV2(call));
  if (!outcome) {
    if (outcome.error().kind == ErrorKind::rate_limited) return urlError(429, "Rate Exceeded.");
    if (outcome.error().kind == ErrorKind::not_implemented)
      return urlError(501, outcome.error().message);
    log::error("function url call failed", {{"error", outcome.error().describe()}});
    return urlError(502, "Internal Server Error");
  }
  if (!outcome->functionError.empty()) return urlError(502, "Internal Server Error");
  http::Response response = urlResponse(outcome->body);
  response.setHeader("x-amzn-RequestId", outcome->record.id);
  return response;
}

}  // namespace

void registerFunctionUrlRoutes(http::Router& router, ApiContext& context) {
  const std::string base = "/2021-10-31/functions/{name}/url";
  router.add("POST", base, functionRoute(context, [&context](FunctionCall& call) {
               return createUrl(context, call);
             }));
  router.add("GET", base,
             functionRoute(context, [&context](FunctionCall& call) -> Result<http::Response> {
               auto url = findUrl(context, call);
               if (!url) return std::unexpected(url.error());
               return jsonResponse(200, functionUrlConfig(*url, call.function,
                                                          context.options.publicBaseUrl));
             }));
  router.add("DELETE", base,
             functionRoute(context, [&context](FunctionCall& call) -> Result<http::Response> {
               auto url = findUrl(context, call);
               if (!url) return std::unexpected(url.error());
               if (auto ok = context.store.deleteFunctionUrl(call.function.id, url->qualifier); !ok)
                 return std::unexpected(ok.error());
               return noContent();
             }));
  for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    for (const char* pattern : {"/lambda-url/{urlId}", "/lambda-url/{urlId}/{path+}"}) {
      router.add(method, pattern,
                 [&context](http::Request& request) { return callUrl(context, request); });
    }
  }
}

}  // namespace stratus::api::lambda
