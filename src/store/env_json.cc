#include "store/env_json.h"

#include <boost/json.hpp>

namespace stratus::store {

std::string encodeEnv(const std::map<std::string, std::string>& env) {
  boost::json::object object;
  for (const auto& [name, value] : env) object[name] = value;
  return boost::json::serialize(object);
}

Result<std::map<std::string, std::string>> decodeEnv(std::string_view json) {
  boost::system::error_code parseError;
  const boost::json::value parsed = boost::json::parse(json, parseError);
  if (parseError || !parsed.is_object()) {
    return internalError("stored function environment is not a JSON object");
  }
  std::map<std::string, std::string> env;
  for (const auto& [name, value] : parsed.get_object()) {
    if (!value.is_string()) {
      return internalError("stored function environment holds a non-string value");
    }
    env.emplace(std::string(name), std::string(value.get_string()));
  }
  return env;
}

}  // namespace stratus::store
