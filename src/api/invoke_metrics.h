// The engine's Prometheus metrics (DESIGN §8): invocations, errors, throttles, durations,
// cold starts and init durations from the invoke service; pool sizes and queue depth read
// from the pool at scrape time. Labels are runtime, executor and outcome only — never a
// function's or user's name, so /metrics reveals no one's functions.
#pragma once

#include <string>

#include "exec/pool/instance_pool.h"
#include "metrics/registry.h"

namespace stratus::api {

class InvokeMetrics {
 public:
  explicit InvokeMetrics(metrics::Registry& registry);

  // One finished invocation. outcome: ok | error | timeout | killed.
  void record(const std::string& runtime, const std::string& executor, const std::string& mode,
              const std::string& outcome, bool coldStart, bool readySandbox, double durationMs,
              double initDurationMs);
  void throttled(const std::string& executor, const std::string& code);
  void platformError(const std::string& executor);

  // Pool sizes, queue depth and memory, read from `pool` whenever /metrics is scraped.
  static void watchPool(metrics::Registry& registry, const exec::InstancePool& pool);

 private:
  metrics::Family<metrics::Counter>& invocations_;
  metrics::Family<metrics::Counter>& errors_;
  metrics::Family<metrics::Counter>& throttles_;
  metrics::Family<metrics::Counter>& coldStarts_;
  metrics::Family<metrics::Histogram>& duration_;
  metrics::Family<metrics::Histogram>& initDuration_;
};

}  // namespace stratus::api
