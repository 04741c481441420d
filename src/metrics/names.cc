#include "metrics/names.h"

namespace stratus::metrics {
namespace {

bool isLetterOrUnderscore(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool isValidMetricName(std::string_view name) {
  if (name.empty() || isDigit(name.front())) return false;
  for (char c : name) {
    if (!isLetterOrUnderscore(c) && !isDigit(c) && c != ':') return false;
  }
  return true;
}

bool isValidLabelName(std::string_view name) {
  if (name.empty() || isDigit(name.front()) || name.starts_with("__")) return false;
  for (char c : name) {
    if (!isLetterOrUnderscore(c) && !isDigit(c)) return false;
  }
  return true;
}

}  // namespace stratus::metrics
