// Which metric and label names the exposition format allows. A bad name is a programming
// error (names are literals in the code), so the registry aborts on one instead of
// returning an error nobody could handle.
#pragma once

#include <string_view>

namespace stratus::metrics {

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool isValidMetricName(std::string_view name);
// [a-zA-Z_][a-zA-Z0-9_]*, and not starting with "__" (reserved for Prometheus itself).
bool isValidLabelName(std::string_view name);

}  // namespace stratus::metrics
