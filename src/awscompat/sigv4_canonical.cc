#include "awscompat/sigv4_canonical.h"

#include <algorithm>
#include <utility>

namespace stratus::awscompat {
namespace {

bool isUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool isBlank(char c) { return c == ' ' || c == '\t'; }

// Control characters other than HTAB, and DEL.
bool isControl(char c) {
  auto byte = static_cast<unsigned char>(c);
  return (byte < 0x20 && c != '\t') || byte == 0x7f;
}

// Appends `value` trimmed, with inner runs of spaces and tabs as one space.
void appendCollapsed(std::string& out, std::string_view value) {
  bool pendingSpace = false;
  bool started = false;
  for (char c : value) {
    if (isBlank(c)) {
      pendingSpace = started;
      continue;
    }
    if (pendingSpace) out.push_back(' ');
    pendingSpace = false;
    started = true;
    out.push_back(c);
  }
}

}  // namespace

std::string uriEncode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size());
  for (char c : bytes) {
    if (isUnreserved(c)) {
      out.push_back(c);
    } else {
      auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0f]);
    }
  }
  return out;
}

std::string normalizePath(std::string_view rawPath) {
  std::vector<std::string_view> segments;
  std::string_view rest = rawPath;
  while (!rest.empty()) {
    std::size_t slash = rest.find('/');
    std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      continue;
    }
    segments.push_back(segment);
  }
  std::string out = "/";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out.push_back('/');
    out.append(segments[i]);
  }
  if (!segments.empty() && rawPath.ends_with('/')) out.push_back('/');
  return out;
}

std::string canonicalUri(std::string_view rawPath) {
  const std::string normalized = normalizePath(rawPath);
  std::string out;
  out.reserve(normalized.size());
  std::string_view rest = normalized;
  while (true) {
    std::size_t slash = rest.find('/');
    out.append(uriEncode(rest.substr(0, slash)));
    if (slash == std::string_view::npos) break;
    out.push_back('/');
    rest.remove_prefix(slash + 1);
  }
  return out;
}

std::string canonicalQueryString(const http::QueryParameters& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) encoded.emplace_back(uriEncode(name), uriEncode(value));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out.push_back('&');
    out += name;
    out.push_back('=');
    out += value;
  }
  return out;
}

Result<std::string> canonicalHeaders(const http::Headers& headers,
                                     const std::vector<std::string>& signedHeaders) {
  std::string out;
  for (const std::string& name : signedHeaders) {
    auto [first, last] = headers.equal_range(name);
    if (first == last)
      return invalid("signed_header_missing",
                     "the request has no " + name + " header, which its signature covers");
    out += name;
    out.push_back(':');
    for (auto it = first; it != last; ++it) {
      if (std::any_of(it->second.begin(), it->second.end(), isControl))
        return invalid("malformed_header", "the " + name + " header holds a control character");
      if (it != first) out.push_back(',');
      appendCollapsed(out, it->second);
    }
    out.push_back('\n');
  }
  return out;
}

Result<std::string> canonicalRequest(const http::Request& request,
                                     const std::vector<std::string>& signedHeaders,
                                     std::string_view payloadHash) {
  auto headers = canonicalHeaders(request.headers, signedHeaders);
  if (!headers) return std::unexpected(std::move(headers.error()));
  std::string out = request.method;
  out.push_back('\n');
  out += canonicalUri(http::rawPathOf(request.target));
  out.push_back('\n');
  out += canonicalQueryString(request.query);
  out.push_back('\n');
  out += *headers;
  out.push_back('\n');
  for (std::size_t i = 0; i < signedHeaders.size(); ++i) {
    if (i > 0) out.push_back(';');
    out += signedHeaders[i];
  }
  out.push_back('\n');
  out += payloadHash;
  return out;
}

}  // namespace stratus::awscompat
