// Transport-neutral request and response values. Route handlers see only these, so they
// compile without Beast and are unit-testable without a socket.
#pragma once

#include <boost/json/value.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"

namespace stratus::http {

// Header names compare case-insensitively (RFC 9110 §5.1).
struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
  using is_transparent = void;
};
using Headers = std::multimap<std::string, std::string, CaseInsensitiveLess>;

struct Request {
  std::string method;  // upper case: GET, POST...
  std::string target;  // as received: path + query
  std::string path;    // percent-decoded path, without the query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order of appearance
  Headers headers;
  std::string body;
  std::string remoteAddress;
  std::string requestId;
  std::map<std::string, std::string> params;  // filled by the router from {placeholders}

  std::optional<std::string_view> header(std::string_view name) const;
  std::optional<std::string_view> queryValue(std::string_view name) const;
  std::optional<std::string_view> param(std::string_view name) const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  // Replaces every header of that name.
  void setHeader(std::string name, std::string value);
  // Adds another header of that name (Set-Cookie needs one per cookie).
  void addHeader(std::string name, std::string value);
  std::optional<std::string_view> header(std::string_view name) const;
  static Response json(int status, const boost::json::value& body);
  static Response text(int status, std::string body, std::string contentType = "text/plain");
  // {"error": {"code", "message"}} with the status the error kind maps to. For internal and
  // unavailable errors the message is replaced by a generic text and the full describe() goes
  // to the log instead: 5xx bodies never carry paths, SQL or host details.
  static Response error(const Error& error);
  static Response error(int status, std::string code, std::string message);
};

}  // namespace stratus::http
