#include "common/crypto.h"

#include <sodium.h>

#include <cstdlib>

namespace stratus {

void initCrypto() {
  if (sodium_init() < 0) std::abort();  // no entropy source: nothing secure can run
}

std::string randomHex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                 raw.size());
  hex.pop_back();
  return hex;
}

std::string newId() {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  // One getrandom for the whole id (randombytes_uniform per character made 20 system calls,
  // a few percent of a warm invocation). Bytes from 252 up are redrawn, so every character
  // stays uniform over the 36 (252 = 7 * 36).
  std::string id(20, 'a');
  unsigned char raw[32];
  std::size_t used = sizeof raw;
  for (char& c : id) {
    unsigned char byte;
    do {
      if (used == sizeof raw) {
        randombytes_buf(raw, sizeof raw);
        used = 0;
      }
      byte = raw[used++];
    } while (byte >= 252);
    c = kAlphabet[byte % 36];
  }
  return id;
}

std::string newSecret() {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  std::string out(sodium_base64_ENCODED_LEN(sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                  '\0');
  sodium_bin2base64(out.data(), out.size(), raw, sizeof raw,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::string sha256Hex(std::string_view data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, sizeof digest * 2);
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace stratus
