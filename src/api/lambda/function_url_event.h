// Function URLs speak Lambda's payload format 2.0 (the one API Gateway HTTP APIs use): a
// plain HTTP request becomes the event, and the function's answer becomes the response.
// Pure: request values in, event text out; answer text in, response out.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.h"

namespace stratus::api::lambda {

struct UrlRequest {
  std::string method;
  std::string rawPath;   // below the URL's own prefix, "/" at least
  std::string rawQuery;  // without '?'
  std::vector<std::pair<std::string, std::string>> query;  // decoded
  const http::Headers* headers = nullptr;
  std::string body;
  std::string sourceIp;
  std::string requestId;
  std::string urlId;
  std::string accountId;
  int64_t timeMs = 0;
};

// The 2.0 event: lower-case header names with repeated values joined by commas, cookies
// apart, the body as text when it is valid UTF-8 of a textual type, else base64.
std::string payloadV2(const UrlRequest& request);

// The function's answer as Lambda turns it into an HTTP response: an object with a
// statusCode gives status, headers, cookies and body (base64-decoded when isBase64Encoded);
// anything else is a 200 application/json whose body is the answer itself. An answer that
// claims to be shaped but is not (a statusCode outside 100-599, a body that is not a string)
// is a 502, as on Lambda.
http::Response urlResponse(std::string_view answer);

}  // namespace stratus::api::lambda
