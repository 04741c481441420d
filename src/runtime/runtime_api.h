// The host side of AWS Lambda's Runtime API (DESIGN §5), as pure functions: which of the
// four endpoints a request is for, and the headers an invocation goes out with. The
// serving itself (one listener per instance, inside its network namespace, on the host's
// event loop) builds on these.
//
//   GET  /2018-06-01/runtime/invocation/next            long poll for the next event
//   POST /2018-06-01/runtime/invocation/{id}/response   the event's result
//   POST /2018-06-01/runtime/invocation/{id}/error      the event failed
//   POST /2018-06-01/runtime/init/error                 the runtime could not start
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"

namespace stratus::runtime {

// Lambda's limit on a synchronous event and on a response.
inline constexpr std::size_t kMaxPayloadBytes = 6u << 20;

inline constexpr std::string_view kRequestIdHeader = "Lambda-Runtime-Aws-Request-Id";
inline constexpr std::string_view kDeadlineHeader = "Lambda-Runtime-Deadline-Ms";
inline constexpr std::string_view kFunctionArnHeader = "Lambda-Runtime-Invoked-Function-Arn";
inline constexpr std::string_view kTraceIdHeader = "Lambda-Runtime-Trace-Id";
inline constexpr std::string_view kErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

enum class Endpoint { next, response, error, init_error };

struct Route {
  Endpoint endpoint;
  std::string requestId;  // for response and error
};

// The route of `method target`, or: not_found "unknown_endpoint" for a path that is none of
// the four, invalid_argument "wrong_method" for the right path with the wrong method,
// invalid_argument "invalid_request_id" for an id that is empty, too long or not made of
// [A-Za-z0-9-]. A query string is ignored, as Lambda does.
Result<Route> parseRoute(std::string_view method, std::string_view target);

// What an invocation carries besides its payload.
struct InvocationContext {
  std::string requestId;
  int64_t deadlineMs = 0;  // Unix milliseconds
  std::string functionArn;
  std::string traceId;  // empty: the header is left out
};

// The headers of the answer to /next, in the order they are written.
std::vector<std::pair<std::string, std::string>> invocationHeaders(
    const InvocationContext& context);

// "arn:aws:lambda:{region}:{account}:function:{name}[:{qualifier}]", the form SDKs and
// runtime clients parse; Stratus puts the user id where the account is.
std::string functionArn(std::string_view region, std::string_view userId,
                        std::string_view functionName, std::string_view qualifier = {});

}  // namespace stratus::runtime
