#include "http/content_type.h"

#include <algorithm>

namespace stratus::http {
namespace {

constexpr std::string_view kCode = "malformed_header_parameters";

bool isSpace(char c) { return c == ' ' || c == '\t'; }

void skipSpace(std::string_view text, std::size_t& pos) {
  while (pos < text.size() && isSpace(text[pos])) ++pos;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
  return text;
}

// Control characters other than HTAB never belong in a header value; CR and LF in
// particular would mean header injection somewhere downstream.
bool isControl(char c) {
  auto u = static_cast<unsigned char>(c);
  return (u < 0x20 && c != '\t') || u == 0x7f;
}

std::optional<std::string_view> findParameter(const HeaderParameters& parameters,
                                              std::string_view name) {
  for (const auto& [key, value] : parameters) {
    if (key == name) return value;
  }
  return std::nullopt;
}

// Reads a quoted-string starting at text[pos] == '"'; pos ends after the closing quote.
Result<std::string> readQuoted(std::string_view text, std::size_t& pos) {
  std::string out;
  ++pos;
  while (pos < text.size()) {
    char c = text[pos++];
    if (c == '"') return out;
    if (c == '\\') {
      if (pos >= text.size()) break;
      c = text[pos++];
    }
    if (isControl(c)) return invalid(std::string(kCode), "control character in quoted string");
    out.push_back(c);
  }
  return invalid(std::string(kCode), "unterminated quoted string");
}

}  // namespace

bool isTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isToken(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), isTokenChar);
}

std::string asciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::optional<std::string_view> ParameterizedValue::parameter(std::string_view name) const {
  return findParameter(parameters, name);
}

std::optional<std::string_view> MediaType::parameter(std::string_view name) const {
  return findParameter(parameters, name);
}

Result<ParameterizedValue> parseParameterizedValue(std::string_view text) {
  ParameterizedValue out;
  std::size_t pos = text.find(';');
  if (pos == std::string_view::npos) pos = text.size();
  std::string_view value = trim(text.substr(0, pos));
  if (std::any_of(value.begin(), value.end(), isControl)) {
    return invalid(std::string(kCode), "control character in header value");
  }
  out.value = std::string(value);

  while (pos < text.size()) {
    // Here text[pos] == ';'.
    ++pos;
    skipSpace(text, pos);
    if (pos >= text.size()) break;   // trailing ';' is harmless
    if (text[pos] == ';') continue;  // so is an empty parameter
    std::size_t nameStart = pos;
    while (pos < text.size() && isTokenChar(text[pos])) ++pos;
    if (pos == nameStart) return invalid(std::string(kCode), "parameter without a name");
    std::string name = asciiLower(text.substr(nameStart, pos - nameStart));
    skipSpace(text, pos);
    if (pos >= text.size() || text[pos] != '=') {
      return invalid(std::string(kCode), "parameter '" + name + "' has no value");
    }
    ++pos;
    skipSpace(text, pos);
    std::string parameterValue;
    if (pos < text.size() && text[pos] == '"') {
      auto quoted = readQuoted(text, pos);
      if (!quoted) return std::unexpected(std::move(quoted.error()));
      parameterValue = std::move(*quoted);
    } else {
      std::size_t valueStart = pos;
      while (pos < text.size() && isTokenChar(text[pos])) ++pos;
      if (pos == valueStart) {
        return invalid(std::string(kCode), "parameter '" + name + "' has no value");
      }
      parameterValue = std::string(text.substr(valueStart, pos - valueStart));
    }
    skipSpace(text, pos);
    if (pos < text.size() && text[pos] != ';') {
      return invalid(std::string(kCode), "unexpected character after parameter '" + name + "'");
    }
    if (findParameter(out.parameters, name)) {
      return invalid(std::string(kCode), "parameter '" + name + "' appears twice");
    }
    out.parameters.emplace_back(std::move(name), std::move(parameterValue));
  }
  return out;
}

Result<MediaType> parseMediaType(std::string_view header) {
  auto parsed = parseParameterizedValue(header);
  if (!parsed) {
    return invalid("malformed_content_type", "Content-Type: " + parsed.error().message);
  }
  std::string_view essence = parsed->value;
  std::size_t slash = essence.find('/');
  if (slash == std::string_view::npos || !isToken(essence.substr(0, slash)) ||
      !isToken(essence.substr(slash + 1))) {
    return invalid("malformed_content_type", "Content-Type is not of the form type/subtype");
  }
  MediaType out;
  out.type = asciiLower(essence.substr(0, slash));
  out.subtype = asciiLower(essence.substr(slash + 1));
  out.parameters = std::move(parsed->parameters);
  return out;
}

bool isJson(const MediaType& mediaType) {
  if (mediaType.type != "application") return false;
  const std::string& sub = mediaType.subtype;
  return sub == "json" || (sub.size() > 5 && sub.ends_with("+json"));
}

bool isJsonContentType(std::string_view header) {
  auto parsed = parseMediaType(header);
  return parsed && isJson(*parsed);
}

}  // namespace stratus::http
