#include "http/multipart.h"

#include <algorithm>
#include <optional>

#include "http/content_type.h"

namespace stratus::http {
namespace {

constexpr std::string_view kCrlf = "\r\n";
// RFC 2046 §5.1.1: 1 to 70 characters.
constexpr std::size_t kMaxBoundaryLength = 70;

std::unexpected<Error> malformed(std::string message) {
  return invalid("malformed_multipart", std::move(message));
}

std::string partLabel(std::size_t index) { return "part " + std::to_string(index + 1); }

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 8187 ext-value: charset'language'percent-encoded. Only UTF-8 is accepted (the RFC
// requires recipients to support it; nothing sends anything else today).
std::optional<std::string> decodeExtValue(std::string_view text) {
  std::size_t first = text.find('\'');
  if (first == std::string_view::npos) return std::nullopt;
  std::size_t second = text.find('\'', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  if (!equalsIgnoreCase(text.substr(0, first), "utf-8")) return std::nullopt;
  std::string out;
  for (std::size_t i = second + 1; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    int high = i + 1 < text.size() ? hexValue(text[i + 1]) : -1;
    int low = i + 2 < text.size() ? hexValue(text[i + 2]) : -1;
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

struct PartHeaders {
  std::optional<std::string> disposition;
  std::optional<std::string> contentType;
};

Result<PartHeaders> parsePartHeaders(std::string_view block, std::size_t index) {
  PartHeaders headers;
  std::optional<std::string>* last = nullptr;  // the kept header a folded line continues
  bool sawHeader = false;
  std::size_t pos = 0;
  while (pos < block.size()) {
    std::size_t end = block.find(kCrlf, pos);
    if (end == std::string_view::npos) end = block.size();
    std::string_view line = block.substr(pos, end - pos);
    pos = end + kCrlf.size();
    if (std::any_of(line.begin(), line.end(), [](char c) {
          auto u = static_cast<unsigned char>(c);
          return (u < 0x20 && c != '\t') || u == 0x7f;
        })) {
      return malformed(partLabel(index) + ": control character in a header");
    }
    if (line.empty()) continue;
    if (line.front() == ' ' || line.front() == '\t') {
      // Obsolete line folding (RFC 5322 §2.2.3), still legal in MIME part headers.
      if (!sawHeader) {
        return malformed(partLabel(index) + ": header block starts with a continuation line");
      }
      if (last != nullptr) (*last)->append(" ").append(trim(line));
      continue;
    }
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || !isToken(line.substr(0, colon))) {
      return malformed(partLabel(index) + ": malformed header line");
    }
    sawHeader = true;
    std::string_view name = line.substr(0, colon);
    std::string value(trim(line.substr(colon + 1)));
    std::optional<std::string>* slot = nullptr;
    if (equalsIgnoreCase(name, "content-disposition")) {
      slot = &headers.disposition;
    } else if (equalsIgnoreCase(name, "content-type")) {
      slot = &headers.contentType;
    }
    if (slot == nullptr) {  // other headers are accepted and dropped
      last = nullptr;
      continue;
    }
    if (slot->has_value()) {
      return malformed(partLabel(index) + ": header " + std::string(name) + " appears twice");
    }
    *slot = std::move(value);
    last = slot;
  }
  return headers;
}

Result<Part> makePart(std::string_view headerBlock, std::string_view data, std::size_t index) {
  auto headers = parsePartHeaders(headerBlock, index);
  if (!headers) return std::unexpected(std::move(headers.error()));
  if (!headers->disposition) {
    return malformed(partLabel(index) + " has no Content-Disposition header");
  }
  auto disposition = parseParameterizedValue(*headers->disposition);
  if (!disposition) {
    return malformed(partLabel(index) + ": Content-Disposition: " + disposition.error().message);
  }
  if (!equalsIgnoreCase(disposition->value, "form-data")) {
    return malformed(partLabel(index) + ": Content-Disposition is not form-data");
  }
  auto name = disposition->parameter("name");
  if (!name || name->empty()) return malformed(partLabel(index) + " has no name");

  Part part;
  part.name = std::string(*name);
  if (auto extended = disposition->parameter("filename*")) {
    auto decoded = decodeExtValue(*extended);
    if (!decoded) return malformed(partLabel(index) + ": malformed filename* parameter");
    part.filename = std::move(*decoded);
  } else if (auto filename = disposition->parameter("filename")) {
    part.filename = std::string(*filename);
  }
  if (headers->contentType) part.contentType = std::move(*headers->contentType);
  part.data = std::string(data);
  return part;
}

}  // namespace

const Part* findPart(const std::vector<Part>& parts, std::string_view name) {
  for (const Part& part : parts) {
    if (part.name == name) return &part;
  }
  return nullptr;
}

Result<std::vector<Part>> parseMultipart(std::string_view contentTypeHeader, std::string_view body,
                                         const MultipartLimits& limits) {
  auto mediaType = parseMediaType(contentTypeHeader);
  if (!mediaType) return malformed(mediaType.error().message);
  if (mediaType->essence() != "multipart/form-data") {
    return malformed("Content-Type is " + mediaType->essence() + ", not multipart/form-data");
  }
  auto boundary = mediaType->parameter("boundary");
  if (!boundary) return malformed("Content-Type has no boundary parameter");
  if (boundary->empty() || boundary->size() > kMaxBoundaryLength) {
    return malformed("boundary must be 1 to 70 characters");
  }
  const std::string dashBoundary = "--" + std::string(*boundary);
  const std::string delimiter = std::string(kCrlf) + dashBoundary;

  // The first boundary opens the body or follows a preamble and its CRLF.
  std::size_t pos;
  if (body.starts_with(dashBoundary)) {
    pos = dashBoundary.size();
  } else {
    std::size_t found = body.find(delimiter);
    if (found == std::string_view::npos) return malformed("body has no opening boundary");
    pos = found + delimiter.size();
  }

  std::vector<Part> parts;
  for (;;) {
    // pos is just past a boundary: either "--" (the close delimiter) or padding and CRLF.
    if (body.substr(pos).starts_with("--")) break;  // the epilogue after it is ignored
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (pos >= body.size()) return malformed("body is truncated after a boundary");
    if (!body.substr(pos).starts_with(kCrlf)) {
      return malformed("unexpected characters after a boundary");
    }
    pos += kCrlf.size();

    const std::size_t index = parts.size();
    if (index >= limits.maxParts) {
      return malformed("more than " + std::to_string(limits.maxParts) + " parts");
    }

    std::string_view headerBlock;
    std::size_t dataStart;
    if (body.substr(pos).starts_with(kCrlf)) {
      dataStart = pos + kCrlf.size();  // no headers at all; caught below as "no name"
    } else {
      std::string_view window = body.substr(pos, limits.maxHeaderBytes + 4);
      std::size_t blankLine = window.find("\r\n\r\n");
      if (blankLine == std::string_view::npos) {
        if (body.size() - pos > window.size()) {
          return malformed(partLabel(index) + " headers exceed " +
                           std::to_string(limits.maxHeaderBytes) + " bytes");
        }
        return malformed(partLabel(index) + " headers are not ended by an empty line");
      }
      headerBlock = window.substr(0, blankLine);
      dataStart = pos + blankLine + 4;
    }

    std::size_t dataEnd = body.find(delimiter, dataStart);
    if (dataEnd == std::string_view::npos) {
      return malformed(partLabel(index) + " is not ended by a boundary (truncated body?)");
    }
    auto part = makePart(headerBlock, body.substr(dataStart, dataEnd - dataStart), index);
    if (!part) return std::unexpected(std::move(part.error()));
    parts.push_back(std::move(*part));
    pos = dataEnd + delimiter.size();
  }
  return parts;
}

}  // namespace stratus::http
