#include "metrics/text_format.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace stratus::metrics {
namespace {

std::string escape(std::string_view text, bool quotes) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '"' && quotes) out += "\\\"";
    else out += c;
  }
  return out;
}

}  // namespace

std::string escapeHelp(std::string_view text) { return escape(text, /*quotes=*/false); }

std::string escapeLabelValue(std::string_view value) { return escape(value, /*quotes=*/true); }

std::string formatNumber(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Shortest round-trip form: what Go's strconv.ParseFloat (Prometheus) reads back exactly.
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (ec != std::errc()) return "NaN";  // cannot happen for a finite double in 64 bytes
  return std::string(buffer, end);
}

std::string formatNumber(unsigned long long value) { return std::to_string(value); }

std::string formatLabels(const std::vector<std::string>& names, const LabelValues& values,
                         std::string_view extraName, std::string_view extraValue) {
  if (names.empty() && extraName.empty()) return {};
  std::string out = "{";
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += names[i];
    out += "=\"";
    out += escapeLabelValue(values[i]);
    out += '"';
  }
  if (!extraName.empty()) {
    if (!names.empty()) out += ',';
    out += extraName;
    out += "=\"";
    out += escapeLabelValue(extraValue);
    out += '"';
  }
  out += '}';
  return out;
}

}  // namespace stratus::metrics
