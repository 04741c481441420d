#include "docker/api_version.h"

#include <algorithm>
#include <charconv>

namespace stratus::docker {
namespace {

bool parseNumber(std::string_view text, int& out) {
  if (text.empty() || text.size() > 4) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && out >= 0;
}

}  // namespace

std::string ApiVersion::text() const { return std::to_string(major) + "." + std::to_string(minor); }

Result<ApiVersion> parseApiVersion(std::string_view text) {
  const std::size_t dot = text.find('.');
  ApiVersion version;
  if (dot == std::string_view::npos || !parseNumber(text.substr(0, dot), version.major) ||
      !parseNumber(text.substr(dot + 1), version.minor)) {
    return invalid("docker_bad_version",
                   "not an API version: \"" + std::string(text.substr(0, 32)) + "\"");
  }
  return version;
}

Result<ApiVersion> negotiateApiVersion(std::string_view daemonNewest,
                                       std::string_view daemonOldest) {
  auto newest = parseApiVersion(daemonNewest);
  if (!newest) {
    return fail(
        ErrorKind::unavailable, "docker_api_unsupported",
        "the Docker daemon reported no usable API version (" + newest.error().message + ")");
  }
  const ApiVersion chosen = std::min(*newest, kNewestApiVersion);
  if (chosen < kOldestApiVersion) {
    return fail(ErrorKind::unavailable, "docker_api_unsupported",
                "the Docker daemon speaks API " + newest->text() + ", older than the " +
                    kOldestApiVersion.text() + " Stratus needs (Docker 19.03 or newer)");
  }
  if (!daemonOldest.empty()) {
    auto oldest = parseApiVersion(daemonOldest);
    if (oldest && *oldest > chosen) {
      return fail(ErrorKind::unavailable, "docker_api_unsupported",
                  "the Docker daemon no longer speaks API " + chosen.text() + " (its oldest is " +
                      oldest->text() + "); this Stratus is too old for it");
    }
  }
  return chosen;
}

}  // namespace stratus::docker
