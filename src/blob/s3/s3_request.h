// Pure address building for S3 requests: endpoint parsing, percent-encoding, canonical
// query strings, virtual-hosted and path-style URLs, and the prefix every key lives under.
//
// libcurl's SigV4 signer (7.88) signs the path and query exactly as they appear in the URL,
// so the URL must already be in SigV4 canonical form: every byte but the unreserved ones
// percent-encoded with upper-case hex, query parameters sorted, each with an '='.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"

namespace stratus::blob::s3 {

struct Endpoint {
  std::string scheme;  // "http" or "https"
  std::string host;    // a name, an IPv4 address or a bracketed IPv6 address
  std::string port;    // digits, or empty for the scheme's default
};

// "https://s3.example.com", "http://127.0.0.1:9000", "http://[::1]:9000/" -> Endpoint.
// Refuses other schemes, user info, paths, queries and fragments.
Result<Endpoint> parseEndpoint(std::string_view url);

// The endpoint as configured, or AWS's regional one.
std::string endpointUrlFor(std::string_view configured, std::string_view region);

// RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~) kept, every other byte %XX.
std::string percentEncode(std::string_view text);
// The same per '/'-separated segment: slashes kept (S3's rule for object key paths).
std::string encodeKeyPath(std::string_view key);
// Inverse of percentEncode for query values; nullopt on a malformed escape.
std::optional<std::string> percentDecode(std::string_view text);
// A key from a listing asked for with encoding-type=url: S3 writes a space as '+' there.
std::optional<std::string> decodeListedKey(std::string_view text);

using QueryParams = std::vector<std::pair<std::string, std::string>>;
// "a=1&b=&c=x%2Fy": encoded, sorted by name then value, "=" even when the value is empty.
std::string canonicalQuery(QueryParams params);

// The full URL of a bucket (objectKey empty) or an object in it, with an already canonical
// query (may be empty). Virtual-hosted: https://bucket.host/key; path-style:
// https://host/bucket/key.
std::string requestUrl(const Endpoint& endpoint, std::string_view bucket, bool pathStyle,
                       std::string_view objectKey, std::string_view query);

// The object key of a blob key under the store's prefix ("prefix/key", or "key").
std::string objectKeyFor(std::string_view prefix, std::string_view key);
// The blob key of an object key, or nullopt when the object lies outside the prefix.
std::optional<std::string> blobKeyFor(std::string_view prefix, std::string_view objectKey);

}  // namespace stratus::blob::s3
