// Turning API values into terminal text: tables and the small conversions their cells need.
// Pure functions of their input (times are shown in UTC so output does not depend on the
// machine's zone).
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace stratus::client {

using TableRow = std::vector<std::string>;

// Columns left-aligned, two spaces apart, widths counted in UTF-8 code points, no trailing
// spaces. Rows shorter than the header get empty cells.
std::string renderTable(const TableRow& header, const std::vector<TableRow>& rows);

// Unix milliseconds (the API's timestamps), Unix seconds (values below 1e11), or an ISO 8601
// string -> "2024-05-01 12:00:03". null/missing -> "-". Unknown shapes are shown as given.
std::string formatTimestamp(const boost::json::value& value);

// 12 -> "12ms", 1534 -> "1.53s", 61000 -> "61.0s"; non-numbers -> "-".
std::string formatDuration(const boost::json::value& milliseconds);

// A JSON scalar as text: strings as is, numbers, booleans as yes/no, null -> "-".
std::string scalarText(const boost::json::value& value);

// One line of at most maxChars code points: line breaks become "\n", other control characters
// '?', the end is cut with "..." when too long.
std::string oneLine(std::string_view text, std::size_t maxChars);

// Quotes a word for a POSIX shell only when it needs it: abc -> abc, a b -> 'a b',
// it's -> 'it'\''s'.
std::string shellQuote(std::string_view word);

// The field of an object, or null when value is not an object or has no such field.
const boost::json::value& field(const boost::json::value& value, std::string_view key);

}  // namespace stratus::client
