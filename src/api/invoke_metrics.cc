#include "api/invoke_metrics.h"

namespace stratus::api {
namespace {

// Seconds, from well under a millisecond (a warm call) to the longest timeout.
const std::vector<double> kDurationBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,    0.25,  0.5,    1,     2.5,  5,     10,
                                             30,     60,    300,    900};
const std::vector<double> kInitBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                         0.1,   0.25,   0.5,   1,    2.5,   10};

}  // namespace

InvokeMetrics::InvokeMetrics(metrics::Registry& registry)
    : invocations_(registry.counter("stratus_invocations_total",
                                    "Invocations that ran, by how they ended.",
                                    {"runtime", "executor", "mode", "outcome"})),
      errors_(registry.counter("stratus_invocation_errors_total",
                               "Invocations that did not end well: the function's errors, "
                               "timeouts, kills, and the platform's own failures.",
                               {"executor", "kind"})),
      throttles_(registry.counter("stratus_throttles_total",
                                  "Invocations refused with 429 for want of capacity.",
                                  {"executor", "reason"})),
      coldStarts_(registry.counter("stratus_cold_starts_total",
                                   "Invocations that started a new instance; source says "
                                   "whether a ready sandbox was taken.",
                                   {"runtime", "executor", "source"})),
      duration_(registry.histogram("stratus_invocation_duration_seconds",
                                   "The function's own run time per invocation.",
                                   {"runtime", "executor"}, kDurationBounds)),
      initDuration_(registry.histogram("stratus_init_duration_seconds",
                                       "Cold starts: instance start until its runtime took "
                                       "the first event.",
                                       {"runtime", "executor"}, kInitBounds)) {}

void InvokeMetrics::record(const std::string& runtime, const std::string& executor,
                           const std::string& mode, const std::string& outcome, bool coldStart,
                           bool readySandbox, double durationMs, double initDurationMs) {
  invocations_.with({runtime, executor, mode, outcome}).inc();
  if (outcome != "ok") errors_.with({executor, outcome == "error" ? "function" : outcome}).inc();
  duration_.with({runtime, executor}).observe(durationMs / 1000);
  if (coldStart) {
    coldStarts_.with({runtime, executor, readySandbox ? "ready" : "new"}).inc();
    initDuration_.with({runtime, executor}).observe(initDurationMs / 1000);
  }
}

void InvokeMetrics::throttled(const std::string& executor, const std::string& code) {
  throttles_.with({executor, code}).inc();
}

void InvokeMetrics::platformError(const std::string& executor) {
  errors_.with({executor, "platform"}).inc();
}

void InvokeMetrics::watchPool(metrics::Registry& registry, const exec::InstancePool& pool) {
  auto& instances = registry.callbackGauge("stratus_pool_instances",
                                           "Instances in the pool, by state.", {"state"});
  instances.set({"idle"}, [&pool] { return double(pool.stats().idle); });
  instances.set({"busy"}, [&pool] { return double(pool.stats().busy); });
  instances.set({"starting"}, [&pool] { return double(pool.stats().starting); });
  registry.callbackGauge("stratus_pool_queue_depth", "Invocations waiting for capacity.")
      .set({}, [&pool] { return double(pool.stats().queued); });
  registry.callbackGauge("stratus_pool_memory_reserved_bytes",
                         "Memory given to live instances together.")
      .set({}, [&pool] { return double(pool.stats().memoryReservedMb) * (1 << 20); });
  registry.callbackGauge("stratus_pool_memory_budget_bytes",
                         "Memory all instances together may be given.")
      .set({}, [&pool] { return double(pool.stats().memoryBudgetMb) * (1 << 20); });
  auto& retired = registry.callbackGauge(
      "stratus_pool_retired_instances",
      "Instances retired since start, by reason (a running count).", {"reason"});
  retired.set({"evicted"}, [&pool] { return double(pool.stats().evictions); });
  retired.set({"expired"}, [&pool] { return double(pool.stats().expirations); });
  retired.set({"replaced"}, [&pool] { return double(pool.stats().replacements); });
}

}  // namespace stratus::api
