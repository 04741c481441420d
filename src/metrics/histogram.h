// Observations counted into buckets with fixed upper bounds (seconds, for latencies), plus
// their sum. Each bucket is counted on its own (not cumulatively) so an observation is one
// increment; the cumulative `le` counts of the exposition are added up at scrape time.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace stratus::metrics {

// Prometheus' own default bounds, in seconds: 5 ms to 10 s.
std::vector<double> defaultLatencyBuckets();

// Finite and strictly increasing; +Inf is implied and must not be listed.
bool isValidBuckets(const std::vector<double>& bounds);

class Histogram {
 public:
  // bounds must satisfy isValidBuckets (the registry checks before building one).
  explicit Histogram(std::vector<double> bounds);

  // Counted in the first bucket whose bound is >= value (or +Inf). NaN is ignored: one
  // would turn _sum into NaN for the rest of the process's life.
  void observe(double value);

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // one per bound, then +Inf
    uint64_t count = 0;                // == cumulative.back()
    double sum = 0;
  };
  // Counts read one by one while others may observe: each is a value the counter really
  // had, and count is derived from the buckets, so a scrape is always self-consistent
  // (+Inf == _count) even if _sum is one observation ahead or behind.
  Snapshot snapshot() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1 (the +Inf bucket)
  std::atomic<double> sum_{0};
};

}  // namespace stratus::metrics
