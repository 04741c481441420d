// multipart/form-data bodies (RFC 7578 on top of RFC 2046 §5.1), parsed from a complete body
// already held in memory (the server bounds its size before reading it).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace stratus::http {

struct Part {
  std::string name;         // from Content-Disposition; never empty
  std::string filename;     // empty when the part is not a file (filename* wins over filename)
  std::string contentType;  // as sent; empty when absent (RFC 7578: then text/plain)
  std::string data;
};

struct MultipartLimits {
  std::size_t maxParts = 64;
  std::size_t maxHeaderBytes = 8 * 1024;  // per part, the header block
};

// Every failure is invalid_argument "malformed_multipart" with a message saying what is wrong
// (no boundary, no closing delimiter, a part without a name, too many parts...).
Result<std::vector<Part>> parseMultipart(std::string_view contentTypeHeader, std::string_view body,
                                         const MultipartLimits& limits = {});

// The first part with that name, or nullptr.
const Part* findPart(const std::vector<Part>& parts, std::string_view name);

}  // namespace stratus::http
