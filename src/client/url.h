// URL pieces the client builds by hand. Pure functions, so the slash and escaping corners
// are unit-tested without a server.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stratus::client {

// Joins a base URL ("http://host:8080", optionally with a path prefix and/or a trailing
// slash) and a request path ("/api/v1/me" or "api/v1/me") with exactly one slash between
// them. A path that is already an absolute http(s) URL is returned unchanged, so callers
// can follow URLs the server hands out (invokeUrl).
std::string joinUrl(std::string_view baseUrl, std::string_view path);

// Percent-encodes everything except RFC 3986 unreserved characters, so a function name or
// id can never add a path segment or a query ("a/b" -> "a%2Fb").
std::string encodePathSegment(std::string_view segment);

// "?limit=20&x=a%20b" (empty string for no parameters); values are percent-encoded.
std::string buildQuery(const std::vector<std::pair<std::string, std::string>>& parameters);

// True for "http://x" and "https://x" (case-insensitive scheme, non-empty host).
bool isHttpUrl(std::string_view url);

// The URL with any "user:password@" replaced by "***@", for error messages.
std::string redactUrl(std::string_view url);

}  // namespace stratus::client
