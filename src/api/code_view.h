// What the code viewer shows of one file: its text when it is UTF-8, nothing when it is
// binary, and at most the first kCodeViewBytes. Pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace stratus::api {

inline constexpr std::size_t kCodeViewBytes = 256u << 10;

struct CodeText {
  bool binary = false;
  bool truncated = false;  // the file is longer than what `content` holds
  std::string content;     // "" when binary
};

// `head` is the start of the file (at most `limit` bytes of it) and `size` its whole
// length. A NUL byte or invalid UTF-8 makes it binary, except for a character cut in half
// at the limit, which is dropped instead.
CodeText codeText(std::string_view head, std::uint64_t size, std::size_t limit = kCodeViewBytes);

}  // namespace stratus::api
