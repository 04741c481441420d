#include "blob/s3/s3_request.h"

#include <algorithm>
#include <cctype>

namespace stratus::blob::s3 {
namespace {

bool isUnreserved(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
         c == '~';
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Quotes the URL unless it may hold a password (user:password@host).
std::unexpected<Error> badEndpoint(std::string_view url, std::string why) {
  const std::string shown = url.find('@') == std::string_view::npos
                                ? "the S3 endpoint \"" + std::string(url) + "\" "
                                : "the S3 endpoint ";
  return invalid("invalid_config", shown + why);
}

bool isHostName(std::string_view host) {
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
  });
}

bool isBracketedIpv6(std::string_view host) {
  if (host.size() < 4 || host.front() != '[' || host.back() != ']') return false;
  return std::all_of(host.begin() + 1, host.end() - 1, [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
  });
}

}  // namespace

Result<Endpoint> parseEndpoint(std::string_view url) {
  const std::size_t schemeEnd = url.find("://");
  if (schemeEnd == std::string_view::npos) return badEndpoint(url, "is not an http(s) URL");
  Endpoint endpoint;
  endpoint.scheme = lower(url.substr(0, schemeEnd));
  if (endpoint.scheme != "http" && endpoint.scheme != "https") {
    return badEndpoint(url, "must use http or https");
  }
  std::string_view rest = url.substr(schemeEnd + 3);
  const std::size_t authorityEnd = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authorityEnd);
  const std::string_view tail =
      authorityEnd == std::string_view::npos ? std::string_view() : rest.substr(authorityEnd);
  // The signer signs the path we build from the bucket and key: an endpoint path would be
  // dropped from requests, so it is refused rather than silently ignored.
  if (!tail.empty() && tail != "/") {
    return badEndpoint(url, "must be scheme://host[:port], without a path or query");
  }
  if (authority.find('@') != std::string_view::npos) {
    return badEndpoint(url,
                       "must not contain credentials (use AWS_ACCESS_KEY_ID and "
                       "AWS_SECRET_ACCESS_KEY)");
  }
  std::string_view port;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return badEndpoint(url, "has an unclosed IPv6 address");
    endpoint.host = lower(authority.substr(0, close + 1));
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return badEndpoint(url, "has an invalid host");
      port = authority.substr(close + 2);
    }
    if (!isBracketedIpv6(endpoint.host)) return badEndpoint(url, "has an invalid IPv6 address");
  } else {
    const std::size_t colon = authority.find(':');
    endpoint.host = lower(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    if (!isHostName(endpoint.host)) return badEndpoint(url, "has an invalid host");
  }
  if (authority.ends_with(':')) return badEndpoint(url, "has an empty port");
  if (!port.empty()) {
    if (port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return badEndpoint(url, "has an invalid port");
    }
    const int value = std::stoi(std::string(port));
    if (value < 1 || value > 65535) return badEndpoint(url, "has an invalid port");
    endpoint.port = std::string(port);
  }
  return endpoint;
}

std::string endpointUrlFor(std::string_view configured, std::string_view region) {
  if (!configured.empty()) return std::string(configured);
  return "https://s3." + std::string(region) + ".amazonaws.com";
}

std::string percentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (isUnreserved(c)) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

std::string encodeKeyPath(std::string_view key) {
  std::string out;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = key.find('/', start);
    out +=
        percentEncode(key.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) break;
    out += '/';
    start = slash + 1;
  }
  return out;
}

std::optional<std::string> percentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = hexValue(text[i + 1]);
    const int low = hexValue(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

std::optional<std::string> decodeListedKey(std::string_view text) {
  std::string spaced(text);
  std::replace(spaced.begin(), spaced.end(), '+', ' ');
  return percentDecode(spaced);
}

std::string canonicalQuery(QueryParams params) {
  for (auto& [name, value] : params) {
    name = percentEncode(name);
    value = percentEncode(value);
  }
  // SigV4 sorts by encoded name, then by encoded value.
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

std::string requestUrl(const Endpoint& endpoint, std::string_view bucket, bool pathStyle,
                       std::string_view objectKey, std::string_view query) {
  std::string url = endpoint.scheme + "://";
  if (!pathStyle) {
    url += bucket;
    url += '.';
  }
  url += endpoint.host;
  if (!endpoint.port.empty()) url += ":" + endpoint.port;
  url += '/';
  if (pathStyle) {
    url += bucket;
    if (!objectKey.empty()) url += '/';
  }
  url += encodeKeyPath(objectKey);
  if (!query.empty()) {
    url += '?';
    url += query;
  }
  return url;
}

std::string objectKeyFor(std::string_view prefix, std::string_view key) {
  if (prefix.empty()) return std::string(key);
  std::string out(prefix);
  out += '/';
  out += key;
  return out;
}

std::optional<std::string> blobKeyFor(std::string_view prefix, std::string_view objectKey) {
  if (prefix.empty()) return std::string(objectKey);
  if (objectKey.size() <= prefix.size() + 1 || !objectKey.starts_with(prefix) ||
      objectKey[prefix.size()] != '/') {
    return std::nullopt;
  }
  return std::string(objectKey.substr(prefix.size() + 1));
}

}  // namespace stratus::blob::s3
