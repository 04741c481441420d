#include "client/url.h"

#include <cctype>

namespace stratus::client {
namespace {

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

std::size_t schemeLength(std::string_view url) {
  if (startsWithNoCase(url, "http://")) return 7;
  if (startsWithNoCase(url, "https://")) return 8;
  return 0;
}

bool isUnreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

std::string percentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (isUnreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
    }
  }
  return out;
}

}  // namespace

bool isHttpUrl(std::string_view url) {
  std::size_t scheme = schemeLength(url);
  return scheme != 0 && url.size() > scheme && url[scheme] != '/';
}

std::string joinUrl(std::string_view baseUrl, std::string_view path) {
  if (isHttpUrl(path)) return std::string(path);
  while (!baseUrl.empty() && baseUrl.back() == '/') baseUrl.remove_suffix(1);
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  std::string url;
  url.reserve(baseUrl.size() + 1 + path.size());
  url += baseUrl;
  url += '/';
  url += path;
  return url;
}

std::string encodePathSegment(std::string_view segment) { return percentEncode(segment); }

std::string buildQuery(const std::vector<std::pair<std::string, std::string>>& parameters) {
  std::string query;
  for (const auto& [name, value] : parameters) {
    query += query.empty() ? '?' : '&';
    query += percentEncode(name);
    query += '=';
    query += percentEncode(value);
  }
  return query;
}

std::string redactUrl(std::string_view url) {
  // Any scheme: the URL being redacted may be one we are about to reject.
  std::size_t separator = url.find("://");
  if (separator == std::string_view::npos) return std::string(url);
  std::size_t hostStart = separator + 3;
  std::size_t hostEnd = url.find_first_of("/?#", hostStart);
  std::size_t at = url.substr(0, hostEnd).rfind('@');
  if (at == std::string_view::npos || at < hostStart) return std::string(url);
  return std::string(url.substr(0, hostStart)) + "***" + std::string(url.substr(at));
}

}  // namespace stratus::client
