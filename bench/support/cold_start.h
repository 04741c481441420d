// The arithmetic of the cold-start measurements: percentiles of a series of samples, and
// the values read off the server's /metrics (Prometheus text) between samples.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stratus::bench {

struct Percentiles {
  std::size_t count = 0;
  double p50 = 0, p99 = 0, min = 0, max = 0, mean = 0;
};

// Nearest-rank percentiles (the smallest sample with at least p% of the samples at or
// below it): with 30 samples p50 is the 15th smallest and p99 the largest.
Percentiles summarise(std::vector<double> samples);

// The sum of every sample of metric `name` whose labels include all of `labels`
// ({"state", "starting"} matches `name{state="starting"} 0`); nullopt when none does.
std::optional<double> metricValue(std::string_view text, std::string_view name,
                                  const std::vector<std::pair<std::string, std::string>>& labels = {});

}  // namespace stratus::bench
