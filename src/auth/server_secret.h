// The server's own secret: the key behind CSRF tokens and the sealed OAuth flow cookie.
// It lives in DATA_DIR/secret.key (32 random bytes, mode 0600, created at first start) or
// comes from STRATUS_SECRET_KEY (base64url of 32 bytes) so several nodes can share one.
// Each use gets its own subkey, so a token made for one purpose never verifies for another.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/error.h"

namespace stratus::auth {

class ServerSecret {
 public:
  // Reads the key file, creating it when absent.
  static Result<ServerSecret> loadOrCreate(const std::filesystem::path& file);
  // From configuration: base64url (or standard base64) of exactly 32 bytes.
  static Result<ServerSecret> fromText(std::string_view encoded);
  // A 32-byte key for one purpose ("csrf", "oauth-flow"), derived with keyed BLAKE2b.
  std::string subkey(std::string_view purpose) const;

 private:
  explicit ServerSecret(std::string key) : key_(std::move(key)) {}
  static Result<ServerSecret> existingSecret(const std::filesystem::path& file);
  std::string key_;  // 32 raw bytes
};

}  // namespace stratus::auth
