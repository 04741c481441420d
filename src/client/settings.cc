#include "client/settings.h"

#include <cstdlib>

#include "client/url.h"

namespace stratus::client {

EnvLookup processEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (!value || !*value) return std::nullopt;
    return std::string(value);
  };
}

Result<ClientSettings> resolveSettings(const ConnectionFlags& flags, const EnvLookup& env) {
  ClientSettings settings;
  std::string source = "--url";
  if (!flags.url.empty()) {
    settings.url = flags.url;
  } else if (auto fromEnv = env(kUrlVariable)) {
    settings.url = *fromEnv;
    source = std::string(kUrlVariable);
  } else {
    settings.url = std::string(kDefaultUrl);
  }
  if (!isHttpUrl(settings.url)) {
    return invalid("invalid_url", source + " must be an http:// or https:// URL, not \"" +
                                      redactUrl(settings.url) + "\"");
  }
  while (settings.url.back() == '/') settings.url.pop_back();

  if (!flags.apiKey.empty()) {
    settings.apiKey = flags.apiKey;
  } else if (auto fromEnv = env(kApiKeyVariable)) {
    settings.apiKey = *fromEnv;
  }
  return settings;
}

std::optional<std::string> passwordFromFlagOrEnv(const std::string& flag, const EnvLookup& env) {
  if (!flag.empty()) return flag;
  return env(kPasswordVariable);
}

}  // namespace stratus::client
