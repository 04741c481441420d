// What the dashboard shows about a function's calls, read from the store with bounded
// queries: the summary next to each function in the list, and the charts' buckets.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>

#include "api/invocation_buckets.h"
#include "common/error.h"
#include "store/metadata_store.h"

namespace stratus::api {

// The newest calls a summary or a chart reads at most: a function busier than this shows
// the newest ones only (documented in docs/api.md).
inline constexpr int kStatsSamples = 10'000;
inline constexpr int kMetricsSamples = 50'000;
inline constexpr int64_t kStatsWindowMs = 24 * 3600 * 1000;

// {"lastInvokedAt": ms|null, "calls24h", "errors24h", "p50Ms": ms|null} at `now`.
Result<boost::json::object> functionStatsJson(store::MetadataStore& store,
                                              const std::string& functionId, int64_t now);

// {"window", "from", "to", "bucketMs", "buckets": [{start, calls, errors, p50Ms, p99Ms}]}.
Result<boost::json::object> functionMetricsJson(store::MetadataStore& store,
                                                const std::string& functionId,
                                                const MetricsWindow& window, int64_t now);

}  // namespace stratus::api
