// Throttling for the account endpoints: sign-in, sign-up, resend and reset (issue 3).
//
// Each key ("signin:ip:203.0.113.9", "signin:account:alice@example.com") counts events in
// a sliding quiet window. The first `freeEvents` pass untouched; from then on each event
// blocks the key for baseDelay, 2 * baseDelay, 4 * ... up to maxDelay, so a script guessing
// passwords slows down exponentially while a person who mistypes twice never notices.
// A key forgets its count once no event has arrived for `quietPeriod`.
//
// The state is in this process's memory: one node's limits are its own, and a restart
// forgives everyone. Both are acceptable for throttling (the Argon2 cost still bounds each
// guess); a shared limiter for several nodes belongs with the PostgreSQL store.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace stratus::auth {

struct RatePolicy {
  int freeEvents = 5;
  int64_t baseDelayMs = 1000;
  int64_t maxDelayMs = 15 * 60 * 1000;
  int64_t quietPeriodMs = 15 * 60 * 1000;
};

class RateLimiter {
 public:
  using Clock = std::function<int64_t()>;  // Unix milliseconds
  explicit RateLimiter(Clock clock, std::size_t maxKeys = 100000);

  // 0 when the key may act now, else how many milliseconds it must wait.
  int64_t retryAfterMs(std::string_view key);
  // Counts one event (a failed sign-in, a sent mail) against the key.
  void record(std::string_view key, const RatePolicy& policy);
  // Forgets the key: a correct password clears that account's failures.
  void reset(std::string_view key);

 private:
  struct Entry {
    int events = 0;
    int64_t lastEventMs = 0;
    int64_t blockedUntilMs = 0;
    int64_t quietPeriodMs = 0;
  };
  void evictStale(int64_t now);

  Clock clock_;
  std::size_t maxKeys_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace stratus::auth
