#include "client/invoke_request.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "client/local_file.h"

namespace stratus::client {

Result<std::string> readEvent(const std::string& argument) {
  std::string text = argument;
  std::string source = "--event";
  if (argument.starts_with('@')) {
    auto content = readLocalFile(argument.substr(1));
    if (!content) return std::unexpected(std::move(content.error()));
    text = std::move(*content);
    source = argument.substr(1);
  }
  boost::system::error_code error;
  boost::json::parse(text, error);
  if (error) {
    return invalid("invalid_event", source + " is not valid JSON (" + error.message() +
                                        "); pass a JSON value, or @file.json");
  }
  return text;
}

Result<InvokeRequest> invokeRequest(std::string_view mode, std::string_view name,
                                    const std::vector<std::string>& args,
                                    const std::optional<std::string>& event) {
  if (mode == "handler") {
    if (!args.empty()) {
      return invalid("invalid_args", std::string(name) +
                                         " is a handler-mode function: pass its event with "
                                         "--event JSON, not arguments");
    }
    return InvokeRequest{.handlerMode = true, .body = event.value_or("{}")};
  }
  if (event) {
    return invalid("invalid_event", std::string(name) +
                                        " is a script-mode function: pass it arguments, not "
                                        "--event (or deploy it with --mode handler)");
  }
  boost::json::array list;
  for (const auto& arg : args) list.emplace_back(arg);
  boost::json::object body{{"args", std::move(list)}};
  return InvokeRequest{.handlerMode = false, .body = boost::json::serialize(body)};
}

}  // namespace stratus::client
