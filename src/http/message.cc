#include "http/message.h"

#include <algorithm>
#include <boost/json/serialize.hpp>

#include "common/log.h"

namespace stratus::http {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

template <class Map>
std::optional<std::string_view> firstValue(const Map& map, std::string_view key) {
  auto it = map.find(key);
  if (it == map.end()) return std::nullopt;
  return std::string_view(it->second);
}

}  // namespace

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    char x = lower(a[i]), y = lower(b[i]);
    if (x != y) return static_cast<unsigned char>(x) < static_cast<unsigned char>(y);
  }
  return a.size() < b.size();
}

std::optional<std::string_view> Request::header(std::string_view name) const {
  return firstValue(headers, name);
}

std::optional<std::string_view> Request::queryValue(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::param(std::string_view name) const {
  auto it = params.find(std::string(name));
  if (it == params.end()) return std::nullopt;
  return std::string_view(it->second);
}

void Response::setHeader(std::string name, std::string value) {
  headers.erase(name);
  headers.emplace(std::move(name), std::move(value));
}

void Response::addHeader(std::string name, std::string value) {
  headers.emplace(std::move(name), std::move(value));
}

std::optional<std::string_view> Response::header(std::string_view name) const {
  return firstValue(headers, name);
}

Response Response::json(int status, const boost::json::value& body) {
  Response response;
  response.status = status;
  response.body = boost::json::serialize(body);
  response.setHeader("Content-Type", "application/json");
  return response;
}

Response Response::text(int status, std::string body, std::string contentType) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.setHeader("Content-Type", std::move(contentType));
  return response;
}

Response Response::error(int status, std::string code, std::string message) {
  boost::json::object inner;
  inner["code"] = code;
  inner["message"] = message;
  boost::json::object outer;
  outer["error"] = std::move(inner);
  return json(status, outer);
}

Response Response::error(const Error& error) {
  int status = httpStatusOf(error.kind);
  switch (error.kind) {
    case ErrorKind::internal:
      log::error("internal error", {{"code", error.code}, {"detail", error.describe()}});
      return Response::error(status, error.code, "internal error");
    case ErrorKind::unavailable: {
      // The code says which dependency is down (storage_unavailable,
      // blob_storage_unavailable...); the message could still name a host, so it stays in
      // the log with the rest of the detail.
      log::warn("service unavailable", {{"code", error.code}, {"detail", error.describe()}});
      auto response = Response::error(
          status, error.code,
          "a service this request needs is unavailable (" + error.code + "), try again");
      response.setHeader("Retry-After", "1");
      return response;
    }
    case ErrorKind::rate_limited: {
      auto response = Response::error(status, error.code, error.message);
      response.setHeader("Retry-After", "1");
      return response;
    }
    default:
      return Response::error(status, error.code, error.message);
  }
}

}  // namespace stratus::http
