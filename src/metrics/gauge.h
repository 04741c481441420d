// A value that goes up and down (instances running, bytes cached). For a value that some
// other object already knows, such as a pool's size, prefer a callback gauge (registry.h):
// it is read at scrape time, so it cannot drift from the truth.
#pragma once

#include <atomic>

namespace stratus::metrics {

class Gauge {
 public:
  void set(double value) { value_.store(value, std::memory_order_relaxed); }
  // atomic<double>::fetch_add is a compare-exchange loop: lock-free, no mutex.
  void add(double amount) { value_.fetch_add(amount, std::memory_order_relaxed); }
  void inc() { add(1); }
  void dec() { add(-1); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

}  // namespace stratus::metrics
