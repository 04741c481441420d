#include "api/invocation_insights.h"

#include <boost/json/array.hpp>

namespace stratus::api {
namespace {

boost::json::value optionalNumber(const std::optional<int64_t>& value) {
  if (!value) return nullptr;
  return *value;
}

}  // namespace

Result<boost::json::object> functionStatsJson(store::MetadataStore& store,
                                              const std::string& functionId, int64_t now) {
  auto samples = store.invocationSamples(functionId, now - kStatsWindowMs, kStatsSamples);
  if (!samples) return std::unexpected(samples.error());
  auto summary = summarise(*samples);
  std::optional<int64_t> last = summary.lastStartedAt;
  if (!last) {
    // Nothing in the last day: one more indexed row tells when it last ran, if ever.
    auto newest = store.queryInvocations({.functionId = functionId, .limit = 1});
    if (!newest) return std::unexpected(newest.error());
    if (!newest->empty()) last = newest->front().startedAt;
  }
  return boost::json::object{{"lastInvokedAt", optionalNumber(last)},
                             {"calls24h", summary.calls},
                             {"errors24h", summary.errors},
                             {"p50Ms", optionalNumber(summary.p50Ms)}};
}

Result<boost::json::object> functionMetricsJson(store::MetadataStore& store,
                                                const std::string& functionId,
                                                const MetricsWindow& window, int64_t now) {
  auto range = windowRange(window, now);
  auto samples = store.invocationSamples(functionId, range.from, kMetricsSamples);
  if (!samples) return std::unexpected(samples.error());
  boost::json::array buckets;
  for (const auto& bucket : bucketise(*samples, window, range)) {
    buckets.push_back(boost::json::object{{"start", bucket.start},
                                          {"calls", bucket.calls},
                                          {"errors", bucket.errors},
                                          {"p50Ms", optionalNumber(bucket.p50Ms)},
                                          {"p99Ms", optionalNumber(bucket.p99Ms)}});
  }
  return boost::json::object{{"window", window.name},
                             {"from", range.from},
                             {"to", range.to},
                             {"bucketMs", window.bucketMs},
                             {"buckets", std::move(buckets)}};
}

}  // namespace stratus::api
