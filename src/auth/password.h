// Password hashing (Argon2id via libsodium) and the input rules for credentials.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"

namespace stratus::auth {

// Argon2id cost. The defaults are libsodium's "interactive" limits (2 passes, 64 MiB);
// tests lower them to keep the suite fast.
struct PasswordCost {
  unsigned long long opsLimit = 2;
  std::size_t memLimitBytes = 64u << 20;
};

inline constexpr std::size_t kMinPasswordLength = 10;
// Bounded so a megabyte "password" cannot make every sign-in attempt expensive.
inline constexpr std::size_t kMaxPasswordLength = 256;

Status validatePassword(std::string_view password);
Result<std::string> hashPassword(std::string_view password, const PasswordCost& cost);
bool verifyPassword(const std::string& encodedHash, std::string_view password);

// Lower-cases and trims an email address and checks its shape. Returns "invalid_email"
// for anything that is not one local part, one '@' and a dotted domain.
Result<std::string> normaliseEmail(std::string_view email);

}  // namespace stratus::auth
