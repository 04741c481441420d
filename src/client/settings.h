// Where the CLI (or a test) finds the server and its credentials: flags first, then the
// environment, then defaults. Resolved once into a value (STYLE §7); the environment is
// passed in as a lookup so tests never touch the real one.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace stratus::client {

inline constexpr std::string_view kDefaultUrl = "http://127.0.0.1:8080";
inline constexpr std::string_view kUrlVariable = "STRATUS_URL";
inline constexpr std::string_view kApiKeyVariable = "STRATUS_API_KEY";
inline constexpr std::string_view kPasswordVariable = "STRATUS_PASSWORD";

// Returns a variable's value; an unset and an empty variable both give nullopt.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;
EnvLookup processEnvironment();

struct ConnectionFlags {
  std::string url;     // --url, empty when not given
  std::string apiKey;  // --api-key, empty when not given
};

struct ClientSettings {
  std::string url;     // validated http(s) URL without trailing slash
  std::string apiKey;  // may be empty: not signed in
};

// --url, else STRATUS_URL, else kDefaultUrl; --api-key, else STRATUS_API_KEY. A URL that is
// not http(s) is an invalid_url error naming where it came from.
Result<ClientSettings> resolveSettings(const ConnectionFlags& flags, const EnvLookup& env);

// --password, else STRATUS_PASSWORD; nullopt means "ask on the terminal".
std::optional<std::string> passwordFromFlagOrEnv(const std::string& flag, const EnvLookup& env);

}  // namespace stratus::client
