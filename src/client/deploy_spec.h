// `stratus deploy` without the I/O: which runtime and handler a file implies, how --env
// assignments become the env object, and what goes into the create (multipart) and update
// (PATCH) requests. Errors here are the user's input, so the CLI reports them as usage errors.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/http_client.h"
#include "common/error.h"

namespace stratus::client {

struct DeployOptions {
  std::string file;  // path of a .py, .js or .zip
  std::string name;
  std::optional<std::string> runtime;
  std::optional<std::string> handler;
  std::optional<std::string> description;
  std::optional<int> timeoutSeconds;
  std::optional<int> memoryMb;
  std::optional<bool> isPublic;
  std::vector<std::string> env;  // "KEY=VALUE" as given; empty means "not given"
  std::optional<std::string> mode;      // script | handler
  std::optional<std::string> executor;  // sandbox | docker | nanos
  // Outer: given or not; inner: the reserved concurrency, or none ("--concurrency none")
  // to go back to unreserved.
  std::optional<std::optional<int>> concurrency;
  std::optional<int> prewarm;
};

// --concurrency's value: a whole number, or "none" for unreserved. invalid_concurrency.
Result<std::optional<int>> parseConcurrency(std::string_view text);

// .py -> python3.11, .js/.mjs/.cjs -> nodejs20. A .zip (or anything else) has no implied
// runtime: missing_runtime / unknown_file_type, both asking for --runtime.
Result<std::string> inferRuntime(std::string_view fileName);

// "src/cloud.py" -> "cloud.handler".
std::string defaultHandler(std::string_view fileName);

// The last path component: "src/cloud.py" -> "cloud.py".
std::string baseName(std::string_view path);

// ["A=1", "B=x=y", "C="] -> {"A":"1","B":"x=y","C":""}. Keys are [A-Za-z_][A-Za-z0-9_]*;
// a later assignment of the same key wins. invalid_env otherwise.
Result<boost::json::object> parseEnvAssignments(const std::vector<std::string>& assignments);

// The form fields of POST /api/v1/functions: name, runtime (given or inferred), handler
// (given or defaultHandler), and description, timeout, memory, public, env, mode,
// concurrency, prewarm when given (public always, "true"/"false"). A new function is
// unreserved already, so "--concurrency none" sends nothing.
Result<FieldList> createFields(const DeployOptions& options);

// PATCH /api/v1/functions/{name}: only what was given on the command line (concurrency
// null to clear it). An empty object means there is nothing to patch.
Result<boost::json::object> patchBody(const DeployOptions& options);

// Validates name, timeout, memory, env, mode, concurrency and prewarm before any request:
// invalid_name / invalid_timeout / invalid_memory / invalid_env / invalid_mode / invalid_executor /
// invalid_concurrency / invalid_prewarm. Like timeout and memory, the numbers are only
// checked for sign here and their upper bounds are left to the server; prewarm above a
// concurrency given alongside it is refused here, prewarm above the stored one there.
Status validateDeployOptions(const DeployOptions& options);

// Reads the code file into the "functionFile" part: file_not_found, not_a_file,
// file_unreadable, empty_file.
Result<FilePart> readCodeFile(const std::string& path);

}  // namespace stratus::client
