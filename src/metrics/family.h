// A metric family: one name, one help text, a fixed list of label names, and one child
// (a Counter, Gauge or Histogram) per combination of label values. Looking a child up takes
// the family's lock, so hot paths look it up once and keep the reference:
//
//   auto& ok = invocations.with({"python3.11", "sandbox", "ok"});
//   ...
//   ok.inc();  // one relaxed atomic add, no lock
//
// Children are never removed, so such a reference stays valid as long as the registry.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "metrics/counter.h"
#include "metrics/gauge.h"
#include "metrics/histogram.h"
#include "metrics/text_format.h"

namespace stratus::metrics {

// Wrong label arity, a bad name, a name registered twice with another shape: bugs in the
// calling code, reported on stderr before aborting (as the HTTP router does).
[[noreturn]] void misuse(const std::string& what);

class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help, std::string_view type,
             std::vector<std::string> labelNames, std::vector<double> bounds = {});
  virtual ~FamilyBase() = default;
  FamilyBase(const FamilyBase&) = delete;
  FamilyBase& operator=(const FamilyBase&) = delete;

  const std::string& name() const { return name_; }
  std::string_view type() const { return type_; }  // "counter", "gauge", "histogram"
  const std::vector<std::string>& labelNames() const { return labelNames_; }
  const std::vector<double>& bounds() const { return bounds_; }  // histograms only

  // Appends "# HELP", "# TYPE" and every sample. A family with no child yet (labelled, and
  // never used) appends nothing, as the official client libraries do.
  void render(std::string& out) const;

 protected:
  // Appends the sample lines; returns false when there was none.
  virtual bool renderSamples(std::string& out) const = 0;
  void checkArity(const LabelValues& values) const;

 private:
  std::string name_, help_;
  std::string_view type_;
  std::vector<std::string> labelNames_;
  std::vector<double> bounds_;
};

// The sample lines of one child, e.g. `name{labels} 3` or a histogram's bucket/sum/count.
void appendSamples(std::string& out, const FamilyBase& family, const LabelValues& values,
                   const Counter& counter);
void appendSamples(std::string& out, const FamilyBase& family, const LabelValues& values,
                   const Gauge& gauge);
void appendSamples(std::string& out, const FamilyBase& family, const LabelValues& values,
                   const Histogram& histogram);

template <class Child>
class Family final : public FamilyBase {
 public:
  using FamilyBase::FamilyBase;

  // The child for these label values (one per label name, in order), made on first use.
  Child& with(const LabelValues& values = {}) {
    checkArity(values);
    std::lock_guard lock(mutex_);
    auto& child = children_[values];
    if (!child) {
      if constexpr (std::is_same_v<Child, Histogram>) child = std::make_unique<Histogram>(bounds());
      else child = std::make_unique<Child>();
    }
    return *child;
  }

 private:
  bool renderSamples(std::string& out) const override {
    std::lock_guard lock(mutex_);
    for (const auto& [values, child] : children_) appendSamples(out, *this, values, *child);
    return !children_.empty();
  }

  mutable std::mutex mutex_;
  std::map<LabelValues, std::unique_ptr<Child>> children_;  // map: a stable scrape order
};

// A gauge whose children are functions read at scrape time, for values another object
// already keeps (a pool's idle and busy instances). The functions run during
// Registry::render() under this family's lock: they must be quick, and must not call into
// the registry. Whoever owns what a function reads removes it before that goes away.
class CallbackGaugeFamily final : public FamilyBase {
 public:
  CallbackGaugeFamily(std::string name, std::string help, std::vector<std::string> labelNames);

  // Sets (or replaces) the function for these label values.
  void set(const LabelValues& values, std::function<double()> read);
  void remove(const LabelValues& values);

 private:
  bool renderSamples(std::string& out) const override;

  mutable std::mutex mutex_;
  std::map<LabelValues, std::function<double()>> children_;
};

}  // namespace stratus::metrics
