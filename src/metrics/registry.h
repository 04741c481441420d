// The process's metrics and their Prometheus text rendering (format 0.0.4, served with
// kTextContentType). Families are registered once, usually at start-up; registering a name
// again with the same type, labels and buckets returns the family already there, so two
// modules may share one. Anything else under a taken name is a programming error (abort).
//
//   metrics::Registry registry;
//   auto& invocations = registry.counter("stratus_invocations_total", "Invocations.",
//                                        {"runtime", "executor", "outcome"});
//   auto& ok = invocations.with({"python3.11", "sandbox", "ok"});  // once
//   ok.inc();                                                      // per call: no lock
//
// Thread-safe throughout. References returned stay valid for the registry's lifetime.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "metrics/family.h"

namespace stratus::metrics {

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // A family without labels has its one child from the start, so it renders 0 before it is
  // first used; labelled families render nothing until a child exists.
  Family<Counter>& counter(const std::string& name, const std::string& help,
                           std::vector<std::string> labelNames = {});
  Family<Gauge>& gauge(const std::string& name, const std::string& help,
                       std::vector<std::string> labelNames = {});
  // bounds: upper bounds in increasing order (seconds for latencies), +Inf implied. The
  // label name "le" is the format's own and cannot be used.
  Family<Histogram>& histogram(const std::string& name, const std::string& help,
                               std::vector<std::string> labelNames, std::vector<double> bounds);
  CallbackGaugeFamily& callbackGauge(const std::string& name, const std::string& help,
                                     std::vector<std::string> labelNames = {});

  // Every family in name order, each child in label-value order: the same state always
  // renders to the same text.
  std::string render() const;

 private:
  template <class F>
  F& findOrAdd(const std::string& name, std::string_view type,
               const std::vector<std::string>& labelNames, const std::vector<double>& bounds,
               const std::function<std::unique_ptr<F>()>& make);

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<FamilyBase>, std::less<>> families_;
};

}  // namespace stratus::metrics
