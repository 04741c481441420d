#include "client/deploy_spec.h"

#include <boost/json/serialize.hpp>
#include <cctype>
#include <charconv>

#include "client/local_file.h"

namespace stratus::client {
namespace {

std::string lowerExtension(std::string_view fileName) {
  std::string base = baseName(fileName);
  std::size_t dot = base.rfind('.');
  if (dot == std::string::npos || dot == 0) return {};
  std::string extension = base.substr(dot);
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return extension;
}

bool isEnvKey(std::string_view key) {
  if (key.empty() || std::isdigit(static_cast<unsigned char>(key.front()))) return false;
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

}  // namespace

std::string baseName(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  std::size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

Result<std::string> inferRuntime(std::string_view fileName) {
  std::string extension = lowerExtension(fileName);
  if (extension == ".py") return std::string("python3.11");
  if (extension == ".js" || extension == ".mjs" || extension == ".cjs") {
    return std::string("nodejs20");
  }
  if (extension == ".zip") {
    return invalid("missing_runtime",
                   "a .zip has no implied runtime: pass --runtime python3.11 or nodejs20");
  }
  return invalid("unknown_file_type", "cannot tell the runtime of \"" + baseName(fileName) +
                                          "\" (expected .py, .js or .zip): pass --runtime");
}

std::string defaultHandler(std::string_view fileName) {
  std::string base = baseName(fileName);
  std::size_t dot = base.rfind('.');
  if (dot != std::string::npos && dot != 0) base.resize(dot);
  return base + ".handler";
}

Result<boost::json::object> parseEnvAssignments(const std::vector<std::string>& assignments) {
  boost::json::object env;
  for (const auto& assignment : assignments) {
    std::size_t equals = assignment.find('=');
    if (equals == std::string::npos) {
      return invalid("invalid_env", "--env expects KEY=VALUE, got \"" + assignment + "\"");
    }
    std::string key = assignment.substr(0, equals);
    if (!isEnvKey(key)) {
      return invalid("invalid_env", "\"" + key +
                                        "\" is not a valid environment variable name "
                                        "(letters, digits and _, not starting with a digit)");
    }
    env[key] = assignment.substr(equals + 1);
  }
  return env;
}

Result<std::optional<int>> parseConcurrency(std::string_view text) {
  if (text == "none") return std::optional<int>();
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return invalid("invalid_concurrency",
                   "--concurrency expects a whole number, or none for unreserved, got \"" +
                       std::string(text) + "\"");
  }
  return std::optional<int>(value);
}

Status validateDeployOptions(const DeployOptions& options) {
  if (options.name.empty()) return invalid("invalid_name", "--name must not be empty");
  if (options.timeoutSeconds && *options.timeoutSeconds <= 0) {
    return invalid("invalid_timeout", "--timeout must be a positive number of seconds");
  }
  if (options.memoryMb && *options.memoryMb <= 0) {
    return invalid("invalid_memory", "--memory must be a positive number of megabytes");
  }
  if (auto env = parseEnvAssignments(options.env); !env) {
    return std::unexpected(std::move(env.error()));
  }
  if (options.executor && *options.executor != "sandbox" && *options.executor != "docker" &&
      *options.executor != "nanos") {
    return invalid("invalid_executor", "--executor must be sandbox, docker or nanos");
  }
  if (options.mode && *options.mode != "script" && *options.mode != "handler") {
    return invalid("invalid_mode", "--mode must be script or handler");
  }
  if (options.concurrency && *options.concurrency && **options.concurrency <= 0) {
    return invalid("invalid_concurrency",
                   "--concurrency must be a positive number of instances, or none");
  }
  if (options.prewarm && *options.prewarm < 0) {
    return invalid("invalid_prewarm", "--prewarm must be 0 or more instances");
  }
  if (options.prewarm && options.concurrency && *options.concurrency &&
      *options.prewarm > **options.concurrency) {
    return invalid("invalid_prewarm", "--prewarm (" + std::to_string(*options.prewarm) +
                                          ") cannot be more than --concurrency (" +
                                          std::to_string(**options.concurrency) + ")");
  }
  return {};
}

Result<FieldList> createFields(const DeployOptions& options) {
  std::string runtime;
  if (options.runtime) {
    runtime = *options.runtime;
  } else {
    auto inferred = inferRuntime(options.file);
    if (!inferred) return std::unexpected(std::move(inferred.error()));
    runtime = std::move(*inferred);
  }
  auto env = parseEnvAssignments(options.env);
  if (!env) return std::unexpected(std::move(env.error()));

  FieldList fields;
  fields.emplace_back("name", options.name);
  fields.emplace_back("runtime", runtime);
  fields.emplace_back("handler", options.handler.value_or(defaultHandler(options.file)));
  if (options.description) fields.emplace_back("description", *options.description);
  if (options.timeoutSeconds)
    fields.emplace_back("timeout", std::to_string(*options.timeoutSeconds));
  if (options.memoryMb) fields.emplace_back("memory", std::to_string(*options.memoryMb));
  fields.emplace_back("public", options.isPublic.value_or(false) ? "true" : "false");
  if (!options.env.empty()) fields.emplace_back("env", boost::json::serialize(*env));
  if (options.mode) fields.emplace_back("mode", *options.mode);
  if (options.executor) fields.emplace_back("executor", *options.executor);
  if (options.concurrency && *options.concurrency) {
    fields.emplace_back("concurrency", std::to_string(**options.concurrency));
  }
  if (options.prewarm) fields.emplace_back("prewarm", std::to_string(*options.prewarm));
  return fields;
}

Result<boost::json::object> patchBody(const DeployOptions& options) {
  boost::json::object body;
  if (options.description) body["description"] = *options.description;
  if (options.runtime) body["runtime"] = *options.runtime;
  if (options.handler) body["handler"] = *options.handler;
  if (options.timeoutSeconds) body["timeout"] = *options.timeoutSeconds;
  if (options.memoryMb) body["memory"] = *options.memoryMb;
  if (options.isPublic) body["public"] = *options.isPublic;
  if (!options.env.empty()) {
    auto env = parseEnvAssignments(options.env);
    if (!env) return std::unexpected(std::move(env.error()));
    body["env"] = std::move(*env);
  }
  if (options.mode) body["mode"] = *options.mode;
  if (options.executor) body["executor"] = *options.executor;
  if (options.concurrency) {
    if (*options.concurrency) body["concurrency"] = **options.concurrency;
    else body["concurrency"] = nullptr;
  }
  if (options.prewarm) body["prewarm"] = *options.prewarm;
  return body;
}

Result<FilePart> readCodeFile(const std::string& path) {
  auto content = readLocalFile(path);
  if (!content) return std::unexpected(std::move(content.error()));
  FilePart part{"functionFile", baseName(path), std::move(*content)};
  if (part.content.empty()) return invalid("empty_file", path + " is empty");
  if (lowerExtension(path) == ".zip") part.contentType = "application/zip";
  return part;
}

}  // namespace stratus::client
