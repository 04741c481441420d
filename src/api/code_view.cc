#include "api/code_view.h"

#include "common/utf8.h"

namespace stratus::api {
namespace {

// A lead byte followed by fewer continuation bytes than it announces.
bool isCutCharacter(std::string_view tail) {
  if (tail.empty() || tail.size() > 3) return false;
  auto lead = static_cast<unsigned char>(tail[0]);
  std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  if (lead < 0xC2 || lead > 0xF4 || tail.size() >= length) return false;
  for (char c : tail.substr(1))
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) return false;
  return true;
}

}  // namespace

CodeText codeText(std::string_view head, std::uint64_t size, std::size_t limit) {
  CodeText text;
  if (head.size() > limit) head = head.substr(0, limit);
  text.truncated = size > head.size();
  // Git's test for a binary file, plus the one JSON needs: UTF-8.
  if (head.find('\0') != std::string_view::npos) {
    text.binary = true;
    return text;
  }
  std::size_t valid = validUtf8Prefix(head);
  // Only where we cut may a character be incomplete.
  if (valid < head.size() && !(text.truncated && isCutCharacter(head.substr(valid)))) {
    text.binary = true;
    return text;
  }
  text.content = std::string(head.substr(0, valid));
  return text;
}

}  // namespace stratus::api
