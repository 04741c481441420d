#include "auth/password.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>

namespace stratus::auth {

Status validatePassword(std::string_view password) {
  if (password.size() < kMinPasswordLength)
    return invalid("weak_password", "password must be at least " +
                                        std::to_string(kMinPasswordLength) + " characters");
  if (password.size() > kMaxPasswordLength)
    return invalid("invalid_password", "password must be at most " +
                                           std::to_string(kMaxPasswordLength) + " characters");
  return {};
}

Result<std::string> hashPassword(std::string_view password, const PasswordCost& cost) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.opsLimit,
                            cost.memLimitBytes, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return internalError("argon2id hashing ran out of memory");
  return std::string(out);
}

bool verifyPassword(const std::string& encodedHash, std::string_view password) {
  return crypto_pwhash_str_verify(encodedHash.c_str(), password.data(), password.size()) == 0;
}

Result<std::string> normaliseEmail(std::string_view email) {
  auto isSpace = [](unsigned char c) { return std::isspace(c) != 0; };
  while (!email.empty() && isSpace(email.front())) email.remove_prefix(1);
  while (!email.empty() && isSpace(email.back())) email.remove_suffix(1);
  auto bad = [] { return invalid("invalid_email", "email address is not valid"); };
  if (email.empty() || email.size() > 254) return bad();
  std::string out;
  out.reserve(email.size());
  for (unsigned char c : email) {
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' ||
        c == '\\')
      return bad();
    out.push_back(static_cast<char>(std::tolower(c)));
  }
  auto at = out.find('@');
  if (at == std::string::npos || at == 0 || out.find('@', at + 1) != std::string::npos)
    return bad();
  std::string_view domain = std::string_view(out).substr(at + 1);
  if (domain.size() < 3 || domain.find('.') == std::string_view::npos || domain.front() == '.' ||
      domain.back() == '.' || domain.find("..") != std::string_view::npos)
    return bad();
  return out;
}

}  // namespace stratus::auth
