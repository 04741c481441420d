#include "client/format.h"

#include <algorithm>
#include <cctype>
#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <optional>

namespace stratus::client {
namespace {

std::size_t displayWidth(std::string_view text) {
  // Counts code points: every byte that is not a UTF-8 continuation byte.
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string formatEpochSeconds(std::int64_t seconds) {
  std::time_t time = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (!gmtime_r(&time, &tm)) return std::to_string(seconds);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buffer;
}

// "2024-05-01T12:00:03.123Z" -> "2024-05-01 12:00:03"; other strings unchanged.
std::string formatIsoString(std::string_view text) {
  bool looksIso = text.size() >= 19 && text[4] == '-' && text[7] == '-' &&
                  (text[10] == 'T' || text[10] == ' ') && text[13] == ':' && text[16] == ':';
  if (!looksIso) return std::string(text);
  std::string out(text.substr(0, 19));
  out[10] = ' ';
  return out;
}

std::optional<double> number(const boost::json::value& value) {
  if (value.is_int64()) return static_cast<double>(value.get_int64());
  if (value.is_uint64()) return static_cast<double>(value.get_uint64());
  if (value.is_double()) return value.get_double();
  return std::nullopt;
}

}  // namespace

std::string renderTable(const TableRow& header, const std::vector<TableRow>& rows) {
  std::vector<std::size_t> widths(header.size(), 0);
  for (std::size_t i = 0; i < header.size(); ++i) widths[i] = displayWidth(header[i]);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < header.size() && i < row.size(); ++i) {
      widths[i] = std::max(widths[i], displayWidth(row[i]));
    }
  }
  std::string out;
  auto emit = [&](const TableRow& row) {
    std::string line;
    for (std::size_t i = 0; i < header.size(); ++i) {
      std::string_view cell = i < row.size() ? std::string_view(row[i]) : std::string_view();
      line += cell;
      if (i + 1 < header.size()) line.append(widths[i] - displayWidth(cell) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line;
    out += '\n';
  };
  emit(header);
  for (const auto& row : rows) emit(row);
  return out;
}

std::string formatTimestamp(const boost::json::value& value) {
  if (value.is_string()) return formatIsoString(value.get_string());
  auto numeric = number(value);
  if (!numeric) return "-";
  auto whole = static_cast<std::int64_t>(*numeric);
  // Milliseconds since 1970 pass 1e11 in 1973; seconds will not reach it for 3000 years.
  return formatEpochSeconds(whole >= 100'000'000'000 ? whole / 1000 : whole);
}

std::string formatDuration(const boost::json::value& milliseconds) {
  auto numeric = number(milliseconds);
  if (!numeric) return "-";
  double ms = *numeric;
  char buffer[32];
  if (ms < 1000) {
    std::snprintf(buffer, sizeof buffer, "%" PRId64 "ms", static_cast<std::int64_t>(ms + 0.5));
  } else if (ms < 10'000) {
    std::snprintf(buffer, sizeof buffer, "%.2fs", ms / 1000);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.1fs", ms / 1000);
  }
  return buffer;
}

std::string scalarText(const boost::json::value& value) {
  if (value.is_string()) return std::string(value.get_string());
  if (value.is_bool()) return value.get_bool() ? "yes" : "no";
  if (value.is_int64()) return std::to_string(value.get_int64());
  if (value.is_uint64()) return std::to_string(value.get_uint64());
  if (value.is_double()) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", value.get_double());
    return buffer;
  }
  return "-";
}

std::string oneLine(std::string_view text, std::size_t maxChars) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      continue;
    } else if (c < 0x20 || c == 0x7F) {
      out += '?';
    } else {
      out += ch;
    }
  }
  if (displayWidth(out) <= maxChars) return out;
  std::size_t keep = maxChars > 3 ? maxChars - 3 : 0;
  std::size_t bytes = 0;
  for (std::size_t seen = 0; bytes < out.size(); ++bytes) {
    if ((static_cast<unsigned char>(out[bytes]) & 0xC0) != 0x80 && seen++ == keep) break;
  }
  out.resize(bytes);
  out += "...";
  return out;
}

std::string shellQuote(std::string_view word) {
  bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("-_./:=@%+,").find(c) != std::string_view::npos;
  });
  if (plain) return std::string(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += '\'';
  return out;
}

const boost::json::value& field(const boost::json::value& value, std::string_view key) {
  static const boost::json::value null;
  if (!value.is_object()) return null;
  const auto* found = value.get_object().if_contains(key);
  return found ? *found : null;
}

}  // namespace stratus::client
