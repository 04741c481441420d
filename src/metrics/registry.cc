#include "metrics/registry.h"

#include <algorithm>

namespace stratus::metrics {

template <class F>
F& Registry::findOrAdd(const std::string& name, std::string_view type,
                       const std::vector<std::string>& labelNames,
                       const std::vector<double>& bounds,
                       const std::function<std::unique_ptr<F>()>& make) {
  std::lock_guard lock(mutex_);
  auto found = families_.find(name);
  if (found != families_.end()) {
    FamilyBase& existing = *found->second;
    // The type string is unique per C++ class except for gauges, which come in two kinds;
    // the dynamic_cast tells those apart.
    auto* same = dynamic_cast<F*>(&existing);
    if (!same || existing.type() != type || existing.labelNames() != labelNames ||
        existing.bounds() != bounds) {
      misuse("\"" + name + "\" is already registered with another type, labels or buckets");
    }
    return *same;
  }
  auto family = make();
  F& result = *family;
  families_.emplace(name, std::move(family));
  return result;
}

Family<Counter>& Registry::counter(const std::string& name, const std::string& help,
                                   std::vector<std::string> labelNames) {
  auto& family = findOrAdd<Family<Counter>>(name, "counter", labelNames, {}, [&] {
    return std::make_unique<Family<Counter>>(name, help, "counter", labelNames);
  });
  if (labelNames.empty()) family.with();
  return family;
}

Family<Gauge>& Registry::gauge(const std::string& name, const std::string& help,
                               std::vector<std::string> labelNames) {
  auto& family = findOrAdd<Family<Gauge>>(name, "gauge", labelNames, {}, [&] {
    return std::make_unique<Family<Gauge>>(name, help, "gauge", labelNames);
  });
  if (labelNames.empty()) family.with();
  return family;
}

Family<Histogram>& Registry::histogram(const std::string& name, const std::string& help,
                                       std::vector<std::string> labelNames,
                                       std::vector<double> bounds) {
  if (std::find(labelNames.begin(), labelNames.end(), "le") != labelNames.end())
    misuse(name + ": \"le\" is reserved for histogram buckets");
  if (!isValidBuckets(bounds))
    misuse(name + ": bucket bounds must be finite and strictly increasing");
  auto& family = findOrAdd<Family<Histogram>>(name, "histogram", labelNames, bounds, [&] {
    return std::make_unique<Family<Histogram>>(name, help, "histogram", labelNames, bounds);
  });
  if (labelNames.empty()) family.with();
  return family;
}

CallbackGaugeFamily& Registry::callbackGauge(const std::string& name, const std::string& help,
                                             std::vector<std::string> labelNames) {
  return findOrAdd<CallbackGaugeFamily>(name, "gauge", labelNames, {}, [&] {
    return std::make_unique<CallbackGaugeFamily>(name, help, labelNames);
  });
}

std::string Registry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, family] : families_) family->render(out);
  return out;
}

}  // namespace stratus::metrics
