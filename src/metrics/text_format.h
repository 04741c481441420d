// The pieces of the Prometheus text exposition format 0.0.4 that are pure string work:
// escaping, number spelling and label sets. Kept apart from the registry so every rule of
// the format is unit-tested on literal text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace stratus::metrics {

// What a scrape answer's Content-Type must say for this format.
inline constexpr std::string_view kTextContentType = "text/plain; version=0.0.4; charset=utf-8";

using LabelValues = std::vector<std::string>;

// HELP text: backslash and line feed are escaped (quotes are not, per the format).
std::string escapeHelp(std::string_view text);
// Label values: backslash, double quote and line feed are escaped.
std::string escapeLabelValue(std::string_view value);

// A sample value or bucket bound the way Prometheus parses it back: the shortest text that
// reads back as the same double ("1", "0.25", "1e+06"), and "+Inf", "-Inf", "NaN".
std::string formatNumber(double value);
std::string formatNumber(unsigned long long value);

// `{a="x",b="y"}` for names and values of the same length, with one more pair appended
// when extraName is not empty (a histogram's "le"). Empty when there is no pair at all.
std::string formatLabels(const std::vector<std::string>& names, const LabelValues& values,
                         std::string_view extraName = {}, std::string_view extraValue = {});

}  // namespace stratus::metrics
