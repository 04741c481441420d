// Function output is arbitrary bytes, but JSON strings must be UTF-8: invalid sequences
// (binary output, or a character cut in half by the output cap) become U+FFFD.
#pragma once

#include <string>
#include <string_view>

namespace stratus {

std::string toValidUtf8(std::string_view bytes);

// The length of the longest prefix of `bytes` that is valid UTF-8 (== bytes.size() when all
// of it is).
std::size_t validUtf8Prefix(std::string_view bytes);

}  // namespace stratus
