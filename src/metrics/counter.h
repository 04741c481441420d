// A monotonically increasing count of events. Whole numbers only: an integer add is one
// lock-free instruction, and what Stratus counts (invocations, errors, bytes) is whole.
// Accumulated seconds belong in a histogram's _sum.
#pragma once

#include <atomic>
#include <cstdint>

namespace stratus::metrics {

class Counter {
 public:
  // Relaxed: a counter orders nothing else, and a scrape may see any recent value.
  void inc(uint64_t amount = 1) { value_.fetch_add(amount, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

}  // namespace stratus::metrics
