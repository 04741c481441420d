// Maps (method, path pattern) to a handler. Patterns are literal segments and {name}
// placeholders, e.g. "/api/v1/functions/{name}/invoke"; a placeholder matches one non-empty
// segment. Unknown paths answer 404, known paths with another method 405, both as JSON.
#pragma once

#include <functional>
#include <string>
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
  std::vector<Route> routes_;
};

}  // namespace stratus::http
