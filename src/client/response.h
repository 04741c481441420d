// What the server answered, and how a non-2xx answer becomes an Error. Pure, so every body
// shape the server (or a proxy in front of it) may send is unit-tested with literal text.
#pragma once

#include <boost/json/value.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace stratus::client {

struct ClientResponse {
  long status = 0;
  std::string body;
  std::multimap<std::string, std::string> headers;  // names in lower case, in arrival order

  bool ok() const { return status >= 200 && status < 300; }
  // The first value of a header; name compared in lower case.
  std::optional<std::string_view> header(std::string_view name) const;
};

// Error codes the client itself produces, i.e. the request never got an HTTP answer. The CLI
// maps these to "cannot reach the server".
inline constexpr std::string_view kConnectionFailed = "connection_failed";
inline constexpr std::string_view kRequestTimeout = "request_timeout";
inline constexpr std::string_view kInvalidUrl = "invalid_url";
inline constexpr std::string_view kInvalidResponse = "invalid_response";

// True when the error is one of kConnectionFailed / kRequestTimeout.
bool isTransportError(const Error& error);

// 400 -> invalid_argument, 401 -> unauthorized, ... 502/503/504 -> unavailable, other 5xx ->
// internal, other 4xx -> invalid_argument.
ErrorKind errorKindFromStatus(long status);

// For a non-2xx response: the server's {"error":{"code","message"}} as an Error whose kind
// follows the status. Bodies of another shape ({"error":"text"}, {"message":...}, HTML from
// a proxy, nothing) give a generic error with code "http_<status>" and the start of the body.
Error errorFromResponse(const ClientResponse& response);

// The response itself when 2xx, errorFromResponse otherwise. Transport errors pass through.
Result<ClientResponse> requireSuccess(Result<ClientResponse> response);

// The body parsed as JSON; kInvalidResponse (kind internal) when it is not JSON.
Result<boost::json::value> parseJsonBody(const ClientResponse& response);

// requireSuccess + parseJsonBody: the usual "call, then read the JSON" step.
Result<boost::json::value> expectJson(Result<ClientResponse> response);

}  // namespace stratus::client
