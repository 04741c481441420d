// Request-target parsing: the path and the query string, percent-decoded.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"

namespace stratus::http {

using QueryParameters = std::vector<std::pair<std::string, std::string>>;

// "a=1&b=x+y&a=%C3%A9" -> [(a,1), (b,"x y"), (a,"é")]: order of appearance and duplicates are
// kept (the seed API passes query values as argv, in order). A piece without '=' has an
// empty value; empty pieces ("a=1&&b=2") are skipped. Fails with "malformed_query" on a
// malformed %-escape, an encoded NUL (values become argv, which cannot hold one) or a name
// or value that is not valid UTF-8 (it would end up in JSON).
Result<QueryParameters> parseQuery(std::string_view rawQuery);

// Decodes %XX in a path ('+' stays '+'). Fails with "malformed_path" on a malformed escape,
// %00, an encoded '/' (it would let "a%2Fb" match a two-segment route after decoding) or
// invalid UTF-8.
Result<std::string> percentDecodePath(std::string_view rawPath);

struct Target {
  std::string path;  // decoded
  QueryParameters query;
};

// Splits a request-target (origin form "/p?q", absolute form "http://h/p?q", or "*") and
// decodes both halves; a fragment, if a client sends one, is dropped. Fails with
// "malformed_target", "malformed_path" or "malformed_query".
Result<Target> parseTarget(std::string_view target);

// The raw path of a target without query or fragment, for logs.
std::string_view rawPathOf(std::string_view target);

bool isValidUtf8(std::string_view text);

}  // namespace stratus::http
