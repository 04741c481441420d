// Pure validation of what users send to describe a function. Every refusal names the field:
// invalid_name, invalid_runtime, invalid_handler, invalid_timeout, invalid_memory,
// invalid_env, invalid_description, invalid_public, invalid_mode, invalid_concurrency,
// invalid_prewarm, invalid_executor, invalid_code.
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
// Reserved concurrency per function; prewarmed instances are held against it, and each
// holds its memory while idle, so both are bounded well below what one node can run.
inline constexpr int kMinConcurrency = 1, kMaxConcurrency = 1000;
inline constexpr int kMaxPrewarm = 32;

// Raw fields as they arrive (multipart form fields or JSON members); absent = not given.
// concurrency "" (JSON null) means "clear it": the function goes back to unreserved.
struct FunctionFields {
  std::optional<std::string> name, description, runtime, handler, timeout, memory, isPublic, env;
  std::optional<std::string> mode, concurrency, prewarm, executor;
};

// The validated result. For an update only the given fields are set.
struct FunctionSpec {
  std::optional<std::string> name, description, runtime, handler;
  std::optional<int> timeoutS, memoryMb;
  std::optional<bool> isPublic;
  std::optional<std::map<std::string, std::string>> env;
  std::optional<std::string> mode;      // script | handler
  std::optional<std::string> executor;  // sandbox | docker | nanos
  // Outer: given or not; inner: the reserved concurrency, or none to clear it.
  std::optional<std::optional<int>> concurrency;
  std::optional<int> prewarm;
};

Result<FunctionSpec> validateFields(const FunctionFields& fields);

Status validateName(std::string_view name);
// python, python3, python3.11 -> python3.11; node, nodejs, nodejs20 -> nodejs20;
// provided, provided.al2023, provided.al2 -> provided.
Result<std::string> canonicalRuntime(std::string_view runtime);
Status validateHandler(std::string_view handler);
// "cloud.calculator" + python3.11 -> "cloud.py"; "lib/app.main" + nodejs20 -> "lib/app.js";
// anything + provided -> "bootstrap".
std::string entryFileFor(std::string_view handler, std::string_view runtime);
std::string_view sourceExtension(std::string_view runtime);  // ".py" | ".js"
Result<std::map<std::string, std::string>> parseEnv(std::string_view json);
Result<int> parseBoundedInt(std::string_view text, int min, int max, std::string code,
                            std::string what);
Result<bool> parseBool(std::string_view text, std::string code);
// script (the clone's: the entry file runs as a program with argv) or handler
// (handler(event, context) returns the answer, as on Lambda).
Status validateMode(std::string_view mode);
// Where it runs by default (the clone's route names its own per call). Whether this
// server has that executor is a question for the call, not the configuration: a function
// may be set up for docker before docker is.
Status validateExecutor(std::string_view executor);
// Instances kept warm count against the reserved concurrency, so they cannot exceed it.
// Checked on the function as it will be stored, since either may come from the stored one.
Status validatePrewarm(int prewarm, std::optional<int> concurrency);

}  // namespace stratus::api
