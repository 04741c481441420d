// Engine API version negotiation. Every request path carries a version (/v1.41/...): the
// daemon then answers in that version's shapes, whatever its own release. We use the
// daemon's newest version capped at the newest one this client was written against, and
// refuse daemons older than the oldest one it was checked with.
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include "common/error.h"

namespace stratus::docker {

struct ApiVersion {
  int major = 0;
  int minor = 0;

  auto operator<=>(const ApiVersion&) const = default;
  std::string text() const;  // "1.41"
};

// The newest API version this client implements: Debian 12's docker.io (20.10) speaks it.
inline constexpr ApiVersion kNewestApiVersion{1, 41};
// The oldest it accepts: Docker 19.03's. Init, NanoCpus, PidsLimit and label filters
// on events all predate it.
inline constexpr ApiVersion kOldestApiVersion{1, 40};

// "1.41" -> {1, 41}; anything else (empty, "v1.41", "1", "1.x") is invalid.
Result<ApiVersion> parseApiVersion(std::string_view text);

// daemonNewest / daemonOldest: /version's ApiVersion and MinAPIVersion (the latter may be
// empty on daemons that do not send it). Fails, kind unavailable, when no version both
// sides speak exists.
Result<ApiVersion> negotiateApiVersion(std::string_view daemonNewest,
                                       std::string_view daemonOldest);

}  // namespace stratus::docker
