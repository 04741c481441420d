#include "metrics/family.h"

#include "metrics/names.h"

namespace stratus::metrics {
namespace {

void appendLine(std::string& out, std::string_view name, std::string_view suffix,
                const std::string& labels, const std::string& value) {
  out += name;
  out += suffix;
  out += labels;
  out += ' ';
  out += value;
  out += '\n';
}

}  // namespace

void misuse(const std::string& what) {
  std::fprintf(stderr, "metrics: %s\n", what.c_str());
  std::abort();
}

FamilyBase::FamilyBase(std::string name, std::string help, std::string_view type,
                       std::vector<std::string> labelNames, std::vector<double> bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      labelNames_(std::move(labelNames)),
      bounds_(std::move(bounds)) {
  if (!isValidMetricName(name_)) misuse("bad metric name \"" + name_ + "\"");
  for (std::size_t i = 0; i < labelNames_.size(); ++i) {
    const std::string& label = labelNames_[i];
    if (!isValidLabelName(label)) misuse(name_ + ": bad label name \"" + label + "\"");
    for (std::size_t j = 0; j < i; ++j) {
      if (labelNames_[j] == label) misuse(name_ + ": label \"" + label + "\" given twice");
    }
  }
}

void FamilyBase::checkArity(const LabelValues& values) const {
  if (values.size() != labelNames_.size()) {
    misuse(name_ + ": " + std::to_string(values.size()) + " label values for " +
           std::to_string(labelNames_.size()) + " label names");
  }
}

void FamilyBase::render(std::string& out) const {
  std::string samples;
  if (!renderSamples(samples)) return;
  out += "# HELP " + name_ + " " + escapeHelp(help_) + "\n";
  out += "# TYPE " + name_ + " ";
  out += type_;
  out += '\n';
  out += samples;
}

void appendSamples(std::string& out, const FamilyBase& family, const LabelValues& values,
                   const Counter& counter) {
  appendLine(out, family.name(), "", formatLabels(family.labelNames(), values),
             formatNumber(static_cast<unsigned long long>(counter.value())));
}

void appendSamples(std::string& out, const FamilyBase& family, const LabelValues& values,
                   const Gauge& gauge) {
  appendLine(out, family.name(), "", formatLabels(family.labelNames(), values),
             formatNumber(gauge.value()));
}

void appendSamples(std::string& out, const FamilyBase& family, const LabelValues& values,
                   const Histogram& histogram) {
  const auto snapshot = histogram.snapshot();
  const auto& bounds = histogram.bounds();
  for (std::size_t i = 0; i <= bounds.size(); ++i) {
    const std::string le = i < bounds.size() ? formatNumber(bounds[i]) : "+Inf";
    appendLine(out, family.name(), "_bucket", formatLabels(family.labelNames(), values, "le", le),
               formatNumber(static_cast<unsigned long long>(snapshot.cumulative[i])));
  }
  const std::string labels = formatLabels(family.labelNames(), values);
  appendLine(out, family.name(), "_sum", labels, formatNumber(snapshot.sum));
  appendLine(out, family.name(), "_count", labels,
             formatNumber(static_cast<unsigned long long>(snapshot.count)));
}

CallbackGaugeFamily::CallbackGaugeFamily(std::string name, std::string help,
                                         std::vector<std::string> labelNames)
    : FamilyBase(std::move(name), std::move(help), "gauge", std::move(labelNames)) {}

void CallbackGaugeFamily::set(const LabelValues& values, std::function<double()> read) {
  checkArity(values);
  std::lock_guard lock(mutex_);
  children_[values] = std::move(read);
}

void CallbackGaugeFamily::remove(const LabelValues& values) {
  std::lock_guard lock(mutex_);
  children_.erase(values);
}

bool CallbackGaugeFamily::renderSamples(std::string& out) const {
  std::lock_guard lock(mutex_);
  for (const auto& [values, read] : children_) {
    appendLine(out, name(), "", formatLabels(labelNames(), values), formatNumber(read()));
  }
  return !children_.empty();
}

}  // namespace stratus::metrics
