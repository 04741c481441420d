// The Lambda-compatible API (AWS Lambda's REST API, 2015-03-31 and the later dated paths
// it uses for concurrency and function URLs), registered on the server's Router, and what
// its route files share: SigV4 authentication and the function named in the path.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "api/function_spec.h"
#include "api/routes.h"
#include "auth/auth_service.h"
#include "http/router.h"
#include "store/model.h"

namespace stratus::api::lambda {

void registerFunctionRoutes(http::Router& router, ApiContext& context);
void registerVersionRoutes(http::Router& router, ApiContext& context);
void registerInvokeRoutes(http::Router& router, ApiContext& context);
void registerFunctionUrlRoutes(http::Router& router, ApiContext& context);

// A signed request and the caller (the owner of the key that signed it).
struct Call {
  http::Request& request;
  auth::Identity identity;
};
// A signed request about one function: {name} resolved for the caller, with the qualifier
// from the name (name:qualifier, an ARN) or ?Qualifier=.
struct FunctionCall {
  http::Request& request;
  auth::Identity identity;
  store::Function function;
  std::string qualifier;
};

using CallHandler = std::function<Result<http::Response>(Call&)>;
using FunctionHandler = std::function<Result<http::Response>(FunctionCall&)>;

// PublishVersion's work, also done by CreateFunction and UpdateFunctionCode with Publish:
// snapshots $LATEST as the next version, unless the newest version already has the same
// code and settings (then that one is returned, as Lambda does).
Result<store::PublishedVersion> publishLatest(ApiContext& context, const store::Function& function,
                                              const std::string& description);
// The FunctionConfiguration of `function` as it runs `version`.
Result<boost::json::object> configurationOf(ApiContext& context, const store::Function& function,
                                            const std::string& version);

// Authenticates with SigV4 and turns any error into Lambda's shape.
http::Handler signedRoute(ApiContext& context, CallHandler handler);
http::Handler functionRoute(ApiContext& context, FunctionHandler handler);

// The body as a JSON object; an empty body is {}.
Result<boost::json::object> jsonBody(const http::Request& request);
http::Response jsonResponse(int status, const boost::json::value& body);
http::Response noContent();
// Lambda's list paging: MaxItems (1-10000, default 50) items after Marker, which is the key
// of the last item of the previous page (NextMarker). A marker whose item is gone meanwhile
// continues at the first key after it, so a page is never repeated or skipped for that.
template <class T, class KeyOf>
Result<std::pair<std::vector<T>, std::string>> paginate(const http::Request& request,
                                                        std::vector<T> items, KeyOf keyOf) {
  std::size_t count = 50;
  if (auto text = request.queryValue("MaxItems")) {
    auto parsed = parseBoundedInt(*text, 1, 10000, "invalid_max_items", "MaxItems");
    if (!parsed) return std::unexpected(parsed.error());
    count = static_cast<std::size_t>(*parsed);
  }
  std::size_t start = 0;
  if (auto marker = request.queryValue("Marker"); marker && !marker->empty()) {
    if (marker->size() > 256) return invalid("invalid_marker", "Marker is not one this server gave");
    start = items.size();
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string key = keyOf(items[i]);
      if (key == *marker) { start = i + 1; break; }
      if (key > *marker && start == items.size()) start = i;
    }
  }
  std::vector<T> page;
  for (std::size_t i = start; i < items.size() && page.size() < count; ++i)
    page.push_back(std::move(items[i]));
  std::string next = start + page.size() < items.size() && !page.empty() ? keyOf(page.back()) : "";
  return std::pair{std::move(page), std::move(next)};
}

}  // namespace stratus::api::lambda
