#include "http/query.h"

#include <cstdint>
#include <optional>

#include "http/content_type.h"

namespace stratus::http {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

enum class DecodeProblem { none, malformedEscape, encodedNul, encodedSlash };

struct Decoded {
  std::string text;
  DecodeProblem problem = DecodeProblem::none;
};

Decoded percentDecode(std::string_view in, bool plusIsSpace, bool rejectSlash) {
  Decoded out;
  out.text.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+' && plusIsSpace) {
      out.text.push_back(' ');
    } else if (c == '%') {
      int high = i + 1 < in.size() ? hexValue(in[i + 1]) : -1;
      int low = i + 2 < in.size() ? hexValue(in[i + 2]) : -1;
      if (high < 0 || low < 0) {
        out.problem = DecodeProblem::malformedEscape;
        return out;
      }
      char decoded = static_cast<char>(high * 16 + low);
      if (decoded == '\0') {
        out.problem = DecodeProblem::encodedNul;
        return out;
      }
      if (decoded == '/' && rejectSlash) {
        out.problem = DecodeProblem::encodedSlash;
        return out;
      }
      out.text.push_back(decoded);
      i += 2;
    } else {
      out.text.push_back(c);
    }
  }
  return out;
}

Result<std::string> decodeQueryComponent(std::string_view raw) {
  Decoded decoded = percentDecode(raw, /*plusIsSpace=*/true, /*rejectSlash=*/false);
  switch (decoded.problem) {
    case DecodeProblem::none:
      break;
    case DecodeProblem::malformedEscape:
      return invalid("malformed_query", "malformed percent-escape in query string");
    case DecodeProblem::encodedNul:
      return invalid("malformed_query", "query string contains an encoded NUL byte");
    case DecodeProblem::encodedSlash:
      break;  // not rejected for queries
  }
  if (!isValidUtf8(decoded.text)) return invalid("malformed_query", "query string is not UTF-8");
  return std::move(decoded.text);
}

}  // namespace

bool isValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length;
    uint32_t codePoint;
    if ((c & 0xE0) == 0xC0) {
      length = 2;
      codePoint = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3;
      codePoint = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4;
      codePoint = c & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      codePoint = (codePoint << 6) | (next & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
    static constexpr uint32_t kMinimum[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (codePoint < kMinimum[length] || codePoint > 0x10FFFF ||
        (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

Result<QueryParameters> parseQuery(std::string_view raw) {
  QueryParameters out;
  std::size_t start = 0;
  while (start <= raw.size()) {
    std::size_t end = raw.find('&', start);
    if (end == std::string_view::npos) end = raw.size();
    std::string_view piece = raw.substr(start, end - start);
    start = end + 1;
    if (piece.empty()) continue;
    std::size_t equals = piece.find('=');
    std::string_view rawName = piece.substr(0, equals);
    std::string_view rawValue =
        equals == std::string_view::npos ? std::string_view{} : piece.substr(equals + 1);
    auto name = decodeQueryComponent(rawName);
    if (!name) return std::unexpected(std::move(name.error()));
    auto value = decodeQueryComponent(rawValue);
    if (!value) return std::unexpected(std::move(value.error()));
    out.emplace_back(std::move(*name), std::move(*value));
  }
  return out;
}

Result<std::string> percentDecodePath(std::string_view raw) {
  Decoded decoded = percentDecode(raw, /*plusIsSpace=*/false, /*rejectSlash=*/true);
  switch (decoded.problem) {
    case DecodeProblem::none:
      break;
    case DecodeProblem::malformedEscape:
      return invalid("malformed_path", "malformed percent-escape in path");
    case DecodeProblem::encodedNul:
      return invalid("malformed_path", "path contains an encoded NUL byte");
    case DecodeProblem::encodedSlash:
      return invalid("malformed_path", "path contains an encoded '/'");
  }
  if (!isValidUtf8(decoded.text)) return invalid("malformed_path", "path is not UTF-8");
  return std::move(decoded.text);
}

std::string_view rawPathOf(std::string_view target) {
  if (!target.empty() && target.front() != '/') {
    // Absolute form: skip "scheme://authority".
    std::size_t scheme = target.find("://");
    if (scheme != std::string_view::npos) {
      std::size_t pathStart = target.find_first_of("/?#", scheme + 3);
      target = pathStart == std::string_view::npos ? std::string_view{} : target.substr(pathStart);
    }
  }
  return target.substr(0, target.find_first_of("?#"));
}

Result<Target> parseTarget(std::string_view target) {
  if (target == "*") return Target{"*", {}};
  bool absolute = false;
  if (!target.starts_with('/')) {
    std::size_t scheme = target.find("://");
    std::string_view name = scheme == std::string_view::npos ? "" : target.substr(0, scheme);
    absolute = equalsIgnoreCase(name, "http") || equalsIgnoreCase(name, "https");
    if (!absolute) return invalid("malformed_target", "request target must start with '/'");
  }
  std::string_view rest = target.substr(0, target.find('#'));
  std::string_view rawPath = rawPathOf(rest);
  std::size_t question = rest.find('?');
  std::string_view rawQuery =
      question == std::string_view::npos ? std::string_view{} : rest.substr(question + 1);

  Target out;
  if (rawPath.empty()) {
    out.path = "/";  // "http://host" or "http://host?x"
  } else {
    auto path = percentDecodePath(rawPath);
    if (!path) return std::unexpected(std::move(path.error()));
    out.path = std::move(*path);
  }
  auto query = parseQuery(rawQuery);
  if (!query) return std::unexpected(std::move(query.error()));
  out.query = std::move(*query);
  return out;
}

}  // namespace stratus::http
