// The numbers the dashboard charts, computed from invocation samples (startedAt,
// durationMs, status) read from the store. Pure: tested with literal samples.
//
// Percentiles are nearest-rank: of N durations sorted ascending, the p-th percentile
// (0 < p <= 100) is the one at 1-based rank ceil(p / 100 * N). It is always a duration that
// was measured, never an interpolation, and with one call p50 = p99 = that call. An error is
// any call whose status is not "ok".
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "store/model.h"

namespace stratus::api {

std::optional<int64_t> nearestRankPercentile(std::vector<int64_t> values, double percentile);

struct InvocationSummary {
  int64_t calls = 0;
  int64_t errors = 0;
  std::optional<int64_t> p50Ms;          // none without calls
  std::optional<int64_t> lastStartedAt;  // the newest sample's start
};

InvocationSummary summarise(const std::vector<store::InvocationSample>& samples);

// A chart's time axis: `count` buckets of `bucketMs`, the last one holding `now`.
struct MetricsWindow {
  std::string_view name;
  int64_t bucketMs = 0;
  int count = 0;
};

// "1h": 60 buckets of a minute; "24h": 96 of a quarter hour; anything else nullopt.
std::optional<MetricsWindow> metricsWindow(std::string_view name);

// [from, to): bucket-aligned, `to` the end of the bucket holding `now`.
struct TimeRange {
  int64_t from = 0;
  int64_t to = 0;
};
TimeRange windowRange(const MetricsWindow& window, int64_t now);

struct MetricsBucket {
  int64_t start = 0;
  int64_t calls = 0;
  int64_t errors = 0;
  std::optional<int64_t> p50Ms;
  std::optional<int64_t> p99Ms;
};

// Every bucket of the range, oldest first, empty ones included; samples outside it are
// ignored.
std::vector<MetricsBucket> bucketise(const std::vector<store::InvocationSample>& samples,
                                     const MetricsWindow& window, const TimeRange& range);

}  // namespace stratus::api
