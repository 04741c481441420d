#include "api/lambda/lambda_routes.h"

#include <boost/json.hpp>

#include "api/lambda/lambda_auth.h"
#include "api/lambda/lambda_errors.h"
#include "api/lambda/lambda_names.h"
#include "api/lambda/lambda_shapes.h"

namespace stratus::api {

void registerLambdaRoutes(http::Router& router, ApiContext& context) {
  lambda::registerFunctionRoutes(router, context);
  lambda::registerVersionRoutes(router, context);
  lambda::registerInvokeRoutes(router, context);
  lambda::registerFunctionUrlRoutes(router, context);
  // Anything else under Lambda's dated prefixes is an operation Stratus does not have:
  // answered in Lambda's shape (after the signature check, so it reveals nothing unsigned).
  for (const char* prefix : {"/2015-03-31", "/2016-08-19", "/2017-03-31", "/2017-10-31",
                             "/2018-10-31", "/2019-09-25", "/2019-09-30", "/2020-04-22",
                             "/2020-06-30", "/2021-07-20", "/2021-10-31", "/2022-07-18"}) {
    for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
      router.add(method, std::string(prefix) + "/{operation+}",
                 lambda::signedRoute(context, [](lambda::Call& call) -> Result<http::Response> {
                   return fail(ErrorKind::not_found, "unknown_operation",
                               "Stratus does not support " + call.request.method + " " +
                                   call.request.path + " (see docs/aws-compat.md)");
                 }));
    }
  }
}

}  // namespace stratus::api

namespace stratus::api::lambda {

http::Handler signedRoute(ApiContext& context, CallHandler handler) {
  return [&context, handler = std::move(handler)](http::Request& request) {
    auto identity = authenticateSigned(request, context);
    if (!identity) return lambdaError(identity.error());
    Call call{request, std::move(*identity)};
    auto response = handler(call);
    if (!response) return lambdaError(response.error());
    return std::move(*response);
  };
}

http::Handler functionRoute(ApiContext& context, FunctionHandler handler) {
  return signedRoute(context, [&context, handler = std::move(handler)](
                                  Call& call) -> Result<http::Response> {
    auto ref = parseFunctionRef(call.request.params["name"], call.identity.user.id);
    if (!ref) return std::unexpected(ref.error());
    auto qualifier = combineQualifier(*ref, call.request.queryValue("Qualifier"));
    if (!qualifier) return std::unexpected(qualifier.error());
    auto function = context.store.functionByName(call.identity.user.id, ref->name);
    if (!function) {
      if (function.error().kind == ErrorKind::not_found)
        return fail(ErrorKind::not_found, "function_not_found",
                    "Function not found: " + functionArn(call.identity.user.id, ref->name));
      return std::unexpected(function.error());
    }
    FunctionCall functionCall{call.request, call.identity, std::move(*function),
                              std::move(*qualifier)};
    return handler(functionCall);
  });
}

Result<boost::json::object> jsonBody(const http::Request& request) {
  if (request.body.empty()) return boost::json::object{};
  boost::system::error_code ec;
  auto value = boost::json::parse(request.body, ec);
  if (ec) return invalid("invalid_json", "the request body is not JSON: " + ec.message());
  if (!value.is_object()) return invalid("invalid_json", "the request body must be a JSON object");
  return std::move(value.as_object());
}

http::Response jsonResponse(int status, const boost::json::value& body) {
  return http::Response::json(status, body);
}

http::Response noContent() {
  http::Response response;
  response.status = 204;
  return response;
}

}  // namespace stratus::api::lambda
