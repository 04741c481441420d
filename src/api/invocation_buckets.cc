#include "api/invocation_buckets.h"

#include <algorithm>
#include <cmath>

namespace stratus::api {

std::optional<int64_t> nearestRankPercentile(std::vector<int64_t> values, double percentile) {
  if (values.empty() || !(percentile > 0) || percentile > 100) return std::nullopt;
  auto rank = static_cast<std::size_t>(std::ceil(percentile / 100.0 * double(values.size())));
  rank = std::clamp<std::size_t>(rank, 1, values.size());
  std::nth_element(values.begin(), values.begin() + long(rank - 1), values.end());
  return values[rank - 1];
}

InvocationSummary summarise(const std::vector<store::InvocationSample>& samples) {
  InvocationSummary summary;
  std::vector<int64_t> durations;
  durations.reserve(samples.size());
  for (const auto& sample : samples) {
    ++summary.calls;
    if (sample.status != "ok") ++summary.errors;
    durations.push_back(sample.durationMs);
    if (!summary.lastStartedAt || sample.startedAt > *summary.lastStartedAt)
      summary.lastStartedAt = sample.startedAt;
  }
  summary.p50Ms = nearestRankPercentile(std::move(durations), 50);
  return summary;
}

std::optional<MetricsWindow> metricsWindow(std::string_view name) {
  if (name == "1h") return MetricsWindow{"1h", 60'000, 60};
  if (name == "24h") return MetricsWindow{"24h", 15 * 60'000, 96};
  return std::nullopt;
}

TimeRange windowRange(const MetricsWindow& window, int64_t now) {
  // Floor division: a clock before 1970 must not round the wrong way.
  int64_t bucketStart = now / window.bucketMs * window.bucketMs;
  if (now < 0 && now % window.bucketMs != 0) bucketStart -= window.bucketMs;
  int64_t to = bucketStart + window.bucketMs;
  return {to - window.count * window.bucketMs, to};
}

std::vector<MetricsBucket> bucketise(const std::vector<store::InvocationSample>& samples,
                                     const MetricsWindow& window, const TimeRange& range) {
  std::vector<MetricsBucket> buckets(static_cast<std::size_t>(window.count));
  std::vector<std::vector<int64_t>> durations(buckets.size());
  for (std::size_t i = 0; i < buckets.size(); ++i)
    buckets[i].start = range.from + int64_t(i) * window.bucketMs;
  for (const auto& sample : samples) {
    if (sample.startedAt < range.from || sample.startedAt >= range.to) continue;
    auto index = static_cast<std::size_t>((sample.startedAt - range.from) / window.bucketMs);
    if (index >= buckets.size()) continue;
    ++buckets[index].calls;
    if (sample.status != "ok") ++buckets[index].errors;
    durations[index].push_back(sample.durationMs);
  }
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    buckets[i].p50Ms = nearestRankPercentile(durations[i], 50);
    buckets[i].p99Ms = nearestRankPercentile(std::move(durations[i]), 99);
  }
  return buckets;
}

}  // namespace stratus::api
