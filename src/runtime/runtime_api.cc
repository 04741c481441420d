#include "runtime/runtime_api.h"

#include <string>

namespace stratus::runtime {
namespace {

constexpr std::string_view kInvocationPrefix = "/2018-06-01/runtime/invocation/";
constexpr std::string_view kInitError = "/2018-06-01/runtime/init/error";
constexpr std::size_t kMaxRequestId = 128;

bool validRequestId(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestId) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<Route> withMethod(std::string_view method, std::string_view wanted, Route route) {
  if (method != wanted) {
    return invalid("wrong_method", "this endpoint takes " + std::string(wanted));
  }
  return route;
}

}  // namespace

Result<Route> parseRoute(std::string_view method, std::string_view target) {
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == kInitError) return withMethod(method, "POST", Route{Endpoint::init_error, {}});
  if (!path.starts_with(kInvocationPrefix)) {
    return fail(ErrorKind::not_found, "unknown_endpoint", "not a Runtime API endpoint");
  }
  const std::string_view rest = path.substr(kInvocationPrefix.size());
  if (rest == "next") return withMethod(method, "GET", Route{Endpoint::next, {}});
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) {
    return fail(ErrorKind::not_found, "unknown_endpoint", "not a Runtime API endpoint");
  }
  const std::string_view id = rest.substr(0, slash);
  const std::string_view action = rest.substr(slash + 1);
  Endpoint endpoint;
  if (action == "response") {
    endpoint = Endpoint::response;
  } else if (action == "error") {
    endpoint = Endpoint::error;
  } else {
    return fail(ErrorKind::not_found, "unknown_endpoint", "not a Runtime API endpoint");
  }
  if (!validRequestId(id)) {
    return invalid("invalid_request_id", "the request id in the path is not one Stratus issued");
  }
  return withMethod(method, "POST", Route{endpoint, std::string(id)});
}

std::vector<std::pair<std::string, std::string>> invocationHeaders(
    const InvocationContext& context) {
  std::vector<std::pair<std::string, std::string>> headers{
      {std::string(kRequestIdHeader), context.requestId},
      {std::string(kDeadlineHeader), std::to_string(context.deadlineMs)},
      {std::string(kFunctionArnHeader), context.functionArn},
  };
  if (!context.traceId.empty()) headers.emplace_back(std::string(kTraceIdHeader), context.traceId);
  return headers;
}

std::string functionArn(std::string_view region, std::string_view userId,
                        std::string_view functionName, std::string_view qualifier) {
  std::string arn = "arn:aws:lambda:" + std::string(region) + ":" + std::string(userId) +
                    ":function:" + std::string(functionName);
  if (!qualifier.empty()) arn += ":" + std::string(qualifier);
  return arn;
}

}  // namespace stratus::runtime
