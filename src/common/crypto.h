// Randomness, ids and digests, all from libsodium.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace stratus {

// Must run once before any other function here (sodium_init); safe to call repeatedly.
void initCrypto();

// n random bytes as lowercase hex (2n characters).
std::string randomHex(std::size_t bytes);
// An opaque identifier for a row: 20 characters of [a-z0-9], 103 bits of randomness.
std::string newId();
// A secret for sessions/keys/tokens: 32 random bytes as URL-safe base64 without padding.
std::string newSecret();
// Hex SHA-256 of data.
std::string sha256Hex(std::string_view data);
// Timing-safe equality for secrets and digests.
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace stratus
