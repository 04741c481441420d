// Pure validation of what users send to describe a function. Every refusal names the field:
// invalid_name, invalid_runtime, invalid_handler, invalid_timeout, invalid_memory,
// invalid_env, invalid_description, invalid_public, invalid_code.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace stratus::api {

inline constexpr int kMinTimeoutS = 1, kMaxTimeoutS = 900;
inline constexpr int kMinMemoryMb = 128, kMaxMemoryMb = 10240;
inline constexpr std::size_t kMaxEnvBytes = 4096;  // Lambda's limit for all variables together

// Raw fields as they arrive (multipart form fields or JSON members); absent = not given.
struct FunctionFields {
  std::optional<std::string> name, description, runtime, handler, timeout, memory, isPublic, env;
};

// The validated result. For an update only the given fields are set.
struct FunctionSpec {
  std::optional<std::string> name, description, runtime, handler;
  std::optional<int> timeoutS, memoryMb;
  std::optional<bool> isPublic;
  std::optional<std::map<std::string, std::string>> env;
};

Result<FunctionSpec> validateFields(const FunctionFields& fields);

Status validateName(std::string_view name);
// python, python3, python3.11 -> python3.11; node, nodejs, nodejs20 -> nodejs20.
Result<std::string> canonicalRuntime(std::string_view runtime);
Status validateHandler(std::string_view handler);
// "cloud.calculator" + python3.11 -> "cloud.py"; "lib/app.main" + nodejs20 -> "lib/app.js".
std::string entryFileFor(std::string_view handler, std::string_view runtime);
std::string_view sourceExtension(std::string_view runtime);  // ".py" | ".js"
Result<std::map<std::string, std::string>> parseEnv(std::string_view json);
Result<int> parseBoundedInt(std::string_view text, int min, int max, std::string code,
                            std::string what);
Result<bool> parseBool(std::string_view text, std::string code);

}  // namespace stratus::api
