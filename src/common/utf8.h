// Function output is arbitrary bytes, but JSON strings must be UTF-8: invalid sequences
// (binary output, or a character cut in half by the output cap) become U+FFFD.
#pragma once

#include <string>
#include <string_view>

namespace stratus {

std::string toValidUtf8(std::string_view bytes);

}  // namespace stratus
