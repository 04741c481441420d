#include "api/lambda/function_url_event.h"

#include <boost/json.hpp>

#include <cctype>
#include <ctime>

#include "api/lambda/lambda_names.h"
#include "common/utf8.h"

namespace stratus::api::lambda {
namespace json = boost::json;
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool textual(std::string_view contentType) {
  std::string type = lower(contentType);
  return type.empty() || type.starts_with("text/") || type.find("json") != std::string::npos ||
         type.find("xml") != std::string::npos || type.find("javascript") != std::string::npos ||
         type.starts_with("application/x-www-form-urlencoded");
}

// "29/Nov/2026:09:48:16 +0000", the requestContext.time format.
std::string clfTime(int64_t unixMs) {
  std::time_t seconds = static_cast<std::time_t>(unixMs / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  std::strftime(text, sizeof text, "%d/%b/%Y:%H:%M:%S +0000", &utc);
  return text;
}

std::vector<std::string> splitCookies(std::string_view header) {
  std::vector<std::string> cookies;
  while (!header.empty()) {
    auto end = header.find(';');
    std::string_view part = header.substr(0, end);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) cookies.emplace_back(part);
    if (end == std::string_view::npos) break;
    header.remove_prefix(end + 1);
  }
  return cookies;
}

http::Response badGateway() {
  return http::Response::json(502, json::object{{"Message", "Internal Server Error"}});
}

// The server frames the response itself; a function may not.
bool framingHeader(std::string_view name) {
  std::string n = lower(name);
  return n == "content-length" || n == "transfer-encoding" || n == "connection" ||
         n == "keep-alive" || n == "upgrade" || n == "trailer";
}

}  // namespace

std::string payloadV2(const UrlRequest& request) {
  json::object headers;
  json::array cookies;
  std::string contentType, userAgent, host;
  if (request.headers != nullptr) {
    for (const auto& [name, value] : *request.headers) {
      std::string key = lower(name);
      if (key == "cookie") {
        for (auto& cookie : splitCookies(value)) cookies.emplace_back(toValidUtf8(cookie));
        continue;
      }
      if (key == "content-type") contentType = value;
      if (key == "user-agent") userAgent = value;
      if (key == "host") host = value;
      std::string text = toValidUtf8(value);
      if (auto* existing = headers.if_contains(key))
        existing->as_string() = std::string(existing->as_string()) + "," + text;
      else
        headers[key] = text;
    }
  }
  json::object query;
  for (const auto& [name, value] : request.query) {
    std::string key = toValidUtf8(name), text = toValidUtf8(value);
    if (auto* existing = query.if_contains(key))
      existing->as_string() = std::string(existing->as_string()) + "," + text;
    else
      query[key] = text;
  }
  const bool asText = textual(contentType) && toValidUtf8(request.body) == request.body;
  json::object event{
      {"version", "2.0"},
      {"routeKey", "$default"},
      {"rawPath", toValidUtf8(request.rawPath)},
      {"rawQueryString", toValidUtf8(request.rawQuery)},
      {"headers", std::move(headers)},
      {"requestContext",
       json::object{
           {"accountId", request.accountId},
           {"apiId", request.urlId},
           {"domainName", toValidUtf8(host)},
           {"domainPrefix", request.urlId},
           {"http", json::object{{"method", request.method},
                                 {"path", toValidUtf8(request.rawPath)},
                                 {"protocol", "HTTP/1.1"},
                                 {"sourceIp", request.sourceIp},
                                 {"userAgent", toValidUtf8(userAgent)}}},
           {"requestId", request.requestId},
           {"routeKey", "$default"},
           {"stage", "$default"},
           {"time", clfTime(request.timeMs)},
           {"timeEpoch", request.timeMs},
       }},
      {"isBase64Encoded", !asText},
  };
  if (!cookies.empty()) event["cookies"] = std::move(cookies);
  if (!query.empty()) event["queryStringParameters"] = std::move(query);
  if (!request.body.empty()) event["body"] = asText ? request.body : base64Encode(request.body);
  return json::serialize(event);
}

http::Response urlResponse(std::string_view answer) {
  boost::system::error_code ec;
  json::value value = json::parse(answer, ec);
  const json::object* shaped =
      !ec && value.is_object() && value.as_object().contains("statusCode") ? &value.as_object()
                                                                           : nullptr;
  if (shaped == nullptr) {
    http::Response response;
    response.status = 200;
    response.body = std::string(answer);
    response.setHeader("Content-Type", "application/json");
    return response;
  }
  const auto& status = shaped->at("statusCode");
  if (!status.is_int64() || status.as_int64() < 100 || status.as_int64() > 599) return badGateway();
  http::Response response;
  response.status = static_cast<int>(status.as_int64());
  if (const auto* headers = shaped->if_contains("headers"); headers && headers->is_object()) {
    for (const auto& [name, header] : headers->as_object()) {
      if (framingHeader(name)) continue;
      std::string text = header.is_string() ? std::string(header.as_string()) : json::serialize(header);
      // A line break in a value would let the function write headers of its own choosing.
      if (text.find_first_of("\r\n") != std::string::npos || name.empty()) return badGateway();
      response.setHeader(std::string(name), std::move(text));
    }
  }
  if (const auto* cookies = shaped->if_contains("cookies"); cookies && cookies->is_array()) {
    for (const auto& cookie : cookies->as_array()) {
      if (!cookie.is_string() || cookie.as_string().find_first_of("\r\n") != json::string::npos)
        return badGateway();
      response.addHeader("Set-Cookie", std::string(cookie.as_string()));
    }
  }
  if (const auto* body = shaped->if_contains("body"); body && !body->is_null()) {
    if (!body->is_string()) return badGateway();
    response.body = std::string(body->as_string());
    if (const auto* encoded = shaped->if_contains("isBase64Encoded");
        encoded && encoded->is_bool() && encoded->as_bool()) {
      auto decoded = base64Decode(response.body, "body");
      if (!decoded) return badGateway();
      response.body = std::move(*decoded);
    }
  }
  if (!response.header("Content-Type")) response.setHeader("Content-Type", "application/json");
  return response;
}

}  // namespace stratus::api::lambda
