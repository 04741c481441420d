// Maps (method, path pattern) to a handler. Patterns are literal segments and {name}
// placeholders, e.g. "/api/v1/functions/{name}/invoke"; a placeholder matches one non-empty
// segment, and a last "{name+}" matches the rest of the path (one or more non-empty
// segments, joined with '/'). Unknown paths answer 404, known paths with another method 405, both as JSON.
//
// Matching works on Request::path, which is percent-decoded and cannot contain an encoded '/'
// (see query.h); a request built with only `target` set gets path and query filled from it.
// One trailing slash is ignored ("/a/" matches "/a"). When several patterns match, the one
// whose first differing segment is literal wins ("/f/new" beats "/f/{id}"), then the one added
// first. HEAD falls back to the GET route (the server drops the body). A bad pattern (no
// leading '/', an empty or duplicate placeholder name) is a programming error and aborts.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace stratus::http {

using Handler = std::function<Response(Request&)>;

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler);
  Response dispatch(Request& request) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };
  const Route* match(const std::vector<std::string>& segments, std::string_view method,
                     std::vector<std::string>* allowed) const;
  std::vector<Route> routes_;
};

}  // namespace stratus::http
