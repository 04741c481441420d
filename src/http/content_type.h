// Header values of the form `value; name=token; name="quoted string"` (RFC 9110 §5.6.6):
// Content-Type, and Content-Disposition inside multipart bodies.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"

namespace stratus::http {

using HeaderParameters = std::vector<std::pair<std::string, std::string>>;

struct ParameterizedValue {
  std::string value;            // the part before the first ';', trimmed, as written
  HeaderParameters parameters;  // names lower-cased, values unquoted, in order
  std::optional<std::string_view> parameter(std::string_view lowerCaseName) const;
};

// Fails with "malformed_header_parameters" on a bad parameter, an unterminated quoted string,
// a control character, or a parameter given twice (two `boundary` parameters would let two
// parsers disagree about the body).
Result<ParameterizedValue> parseParameterizedValue(std::string_view headerValue);

struct MediaType {
  std::string type;     // lower case: "multipart"
  std::string subtype;  // lower case: "form-data"
  HeaderParameters parameters;

  std::string essence() const { return type + "/" + subtype; }
  std::optional<std::string_view> parameter(std::string_view lowerCaseName) const;
};

// Fails with "malformed_content_type".
Result<MediaType> parseMediaType(std::string_view contentTypeHeader);

// application/json and application/<anything>+json.
bool isJson(const MediaType& mediaType);
// Same for a raw header value; false when the value does not parse.
bool isJsonContentType(std::string_view contentTypeHeader);

// RFC 9110 tchar.
bool isTokenChar(char c);
bool isToken(std::string_view text);
std::string asciiLower(std::string_view text);
bool equalsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace stratus::http
