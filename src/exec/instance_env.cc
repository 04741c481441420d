#include "exec/instance_env.h"

#include <boost/json.hpp>

namespace stratus::exec {

std::map<std::string, std::string> functionEnvironment(const InstanceSpec& spec) {
  std::map<std::string, std::string> env = spec.env;
  std::string version = std::to_string(spec.version);
  auto set = [&](const char* key, std::string value) { env[key] = std::move(value); };
  set("_HANDLER", spec.handler);
  set("STRATUS_MODE", spec.mode);
  set("LAMBDA_TASK_ROOT", "/var/task");
  set("AWS_LAMBDA_FUNCTION_NAME", spec.functionName);
  set("AWS_LAMBDA_FUNCTION_VERSION", version);
  set("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", std::to_string(spec.memoryMb));
  set("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + spec.functionName);
  // Lambda's stream names carry a date and an instance id; one per version is enough to
  // tell instances of different versions apart in a runtime's own logs.
  set("AWS_LAMBDA_LOG_STREAM_NAME", spec.functionId + "/" + version);
  set("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
  set("AWS_REGION", "local");
  set("AWS_DEFAULT_REGION", "local");
  set("AWS_EXECUTION_ENV", "Stratus_" + spec.runtime);
  return env;
}

std::string bootstrapSpecJson(const InstanceSpec& spec) {
  boost::json::object env;
  for (auto& [key, value] : functionEnvironment(spec)) env[key] = value;
  return boost::json::serialize(boost::json::object{{"env", std::move(env)}});
}

}  // namespace stratus::exec
