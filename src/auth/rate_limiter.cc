#include "auth/rate_limiter.h"

#include <algorithm>

namespace stratus::auth {

RateLimiter::RateLimiter(Clock clock, std::size_t maxKeys)
    : clock_(std::move(clock)), maxKeys_(maxKeys) {}

int64_t RateLimiter::retryAfterMs(std::string_view key) {
  const int64_t now = clock_();
  std::lock_guard lock(mutex_);
  auto found = entries_.find(std::string(key));
  if (found == entries_.end()) return 0;
  return std::max<int64_t>(0, found->second.blockedUntilMs - now);
}

void RateLimiter::record(std::string_view key, const RatePolicy& policy) {
  const int64_t now = clock_();
  std::lock_guard lock(mutex_);
  auto found = entries_.find(std::string(key));
  if (found == entries_.end()) {
    if (entries_.size() >= maxKeys_) evictStale(now);
    // Still full (someone is spraying keys): drop counts that block nobody yet, never a key
    // that is blocked, so filling the table cannot lift a throttle that has already bitten.
    if (entries_.size() >= maxKeys_)
      std::erase_if(entries_, [now](const auto& item) { return item.second.blockedUntilMs <= now; });
    // Every key is blocked: the newcomer is not tracked. Reaching this took maxKeys keys
    // each past its free events, each failure costing the attacker an Argon2 verification.
    if (entries_.size() >= maxKeys_) return;
    found = entries_.emplace(std::string(key), Entry{}).first;
  }
  Entry& entry = found->second;
  if (entry.events > 0 && now - entry.lastEventMs >= entry.quietPeriodMs) entry = Entry{};
  entry.events += 1;
  entry.lastEventMs = now;
  entry.quietPeriodMs = policy.quietPeriodMs;
  // Once the free events are used up, every further event waits: the first for baseDelay,
  // then twice as long each time.
  const int over = entry.events - policy.freeEvents;
  if (over >= 0) {
    // 2^over without overflow: past 2^30 the cap has long been reached.
    const int shift = std::min(over, 30);
    const int64_t delay = std::min(policy.maxDelayMs, policy.baseDelayMs << shift);
    entry.blockedUntilMs = std::max(entry.blockedUntilMs, now + delay);
  }
}

void RateLimiter::reset(std::string_view key) {
  std::lock_guard lock(mutex_);
  entries_.erase(std::string(key));
}

void RateLimiter::evictStale(int64_t now) {
  std::erase_if(entries_, [now](const auto& item) {
    const Entry& entry = item.second;
    return now - entry.lastEventMs >= entry.quietPeriodMs && now >= entry.blockedUntilMs;
  });
}

}  // namespace stratus::auth
