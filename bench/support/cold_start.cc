#include "support/cold_start.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>

namespace stratus::bench {

Percentiles summarise(std::vector<double> samples) {
  Percentiles out;
  out.count = samples.size();
  if (samples.empty()) return out;
  std::sort(samples.begin(), samples.end());
  auto rank = [&](double percent) {
    auto index = static_cast<std::size_t>(std::ceil(percent / 100 * double(samples.size())));
    return samples[std::clamp<std::size_t>(index, 1, samples.size()) - 1];
  };
  out.p50 = rank(50);
  out.p99 = rank(99);
  out.min = samples.front();
  out.max = samples.back();
  out.mean = std::accumulate(samples.begin(), samples.end(), 0.0) / double(samples.size());
  return out;
}

std::optional<double> metricValue(std::string_view text, std::string_view name,
                                  const std::vector<std::pair<std::string, std::string>>& labels) {
  std::optional<double> total;
  while (!text.empty()) {
    std::string_view line = text.substr(0, text.find('\n'));
    text.remove_prefix(std::min(text.size(), line.size() + 1));
    if (line.empty() || line.front() == '#' || !line.starts_with(name)) continue;
    std::string_view rest = line.substr(name.size());
    std::string_view labelText;
    if (rest.starts_with('{')) {
      auto close = rest.find('}');
      if (close == std::string_view::npos) continue;
      labelText = rest.substr(0, close + 1);  // with the braces
      rest.remove_prefix(close + 1);
    }
    if (!rest.starts_with(' ')) continue;  // another metric whose name starts like this one
    bool matches = std::all_of(labels.begin(), labels.end(), [&](const auto& label) {
      std::string pair = label.first + "=\"" + label.second + "\"";
      for (auto at = labelText.find(pair); at != std::string_view::npos;
           at = labelText.find(pair, at + 1)) {
        char before = labelText[at - 1];  // '{' at least precedes any match
        char after = labelText[at + pair.size()];  // '}' at least follows
        if ((before == '{' || before == ',') && (after == ',' || after == '}')) return true;
      }
      return false;
    });
    if (!matches) continue;
    rest.remove_prefix(1);
    rest = rest.substr(0, rest.find(' '));  // a timestamp may follow
    double value = 0;
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
    if (ec != std::errc()) continue;
    total = total.value_or(0) + value;
  }
  return total;
}

}  // namespace stratus::bench
