// The canonical request of AWS Signature Version 4, the text both sides hash, for every
// service but S3 (S3 neither normalizes nor re-encodes the path, and is not served here).
//
//   METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n PayloadHash
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "http/message.h"
#include "http/query.h"

namespace stratus::awscompat {

// Every byte outside RFC 3986's unreserved set (A-Z a-z 0-9 - . _ ~) becomes %XX with
// upper-case hex; '/' and '%' included.
std::string uriEncode(std::string_view bytes);

// The path with empty, "." and ".." segments resolved, as AWS's signers do for non-S3
// services; a trailing '/' stays, an empty path is "/". "//a/./b/../c/" -> "/a/c/".
std::string normalizePath(std::string_view rawPath);

// The canonical URI of a path as it travels on the wire, still percent-encoded: normalized,
// then each segment encoded once more. This is the "double encoding" of non-S3 services:
// an SDK encodes a function name once to build the path ("my fn" -> "my%20fn") and the
// signer encodes that path again ("my%2520fn"). A path sent raw (AWS's test suite sends
// "/example space/") comes out encoded once ("/example%20space/").
std::string canonicalUri(std::string_view rawPath);

// Decoded name/value pairs, each RFC 3986-encoded, sorted by name then value, joined by
// '&'; a parameter without a value is "name=".
std::string canonicalQueryString(const http::QueryParameters& query);

// One "name:value\n" line per signed header, in SignedHeaders order (which is sorted).
// Values lose their leading and trailing spaces and tabs, inner runs of them become one
// space, and repeated headers are joined with ',' in the order received. Fails with
// "signed_header_missing" when the request lacks a signed header and "malformed_header"
// when a value holds a control character (a line break would let one request's canonical
// form pass for another's).
Result<std::string> canonicalHeaders(const http::Headers& headers,
                                     const std::vector<std::string>& signedHeaders);

// The canonical request of `request`: the raw path comes from `target`, the query from the
// decoded `query` (so what is signed is what the handlers read), the headers from
// `headers`. `payloadHash` is hex SHA-256 of the body, or the value the client declared.
Result<std::string> canonicalRequest(const http::Request& request,
                                     const std::vector<std::string>& signedHeaders,
                                     std::string_view payloadHash);

}  // namespace stratus::awscompat
