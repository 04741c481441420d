// Time as a value passed in, so expiry logic is testable without sleeping.
#pragma once

#include <chrono>
#include <cstdint>

namespace stratus {

// Milliseconds since the Unix epoch: the unit every stored timestamp uses.
inline int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace stratus
