#include "blob/blob_store.h"

#include <string>

namespace stratus::blob {

namespace {

// Generous for users/{id}/functions/{id}/{sha256}.zip, tight enough that no key can make a
// path longer than PATH_MAX under any sane root.
constexpr std::size_t kMaxKeyLength = 1024;
constexpr std::size_t kMaxSegmentLength = 255;

bool isKeyCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

}  // namespace

Status validateKey(std::string_view key) {
  if (key.empty()) return invalid("invalid_blob_key", "a blob key must not be empty");
  if (key.size() > kMaxKeyLength) return invalid("invalid_blob_key", "the blob key is too long");
  if (key.front() == '/') return invalid("invalid_blob_key", "a blob key must be relative");
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = key.find('/', start);
    const std::string_view segment =
        key.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (segment.empty()) {
      return invalid("invalid_blob_key", "a blob key must not have empty segments");
    }
    if (segment == "." || segment == "..") {
      return invalid("invalid_blob_key", "a blob key must not contain . or .. segments");
    }
    if (segment.size() > kMaxSegmentLength) {
      return invalid("invalid_blob_key", "a blob key segment is too long");
    }
    for (char c : segment) {
      if (!isKeyCharacter(c)) {
        return invalid("invalid_blob_key",
                       "a blob key may only contain letters, digits, '.', '_', '-' and '/'");
      }
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return {};
}

std::string codeKey(std::string_view userId, std::string_view functionId, std::string_view sha256) {
  std::string key = "users/";
  key += userId;
  key += "/functions/";
  key += functionId;
  key += '/';
  key += sha256;
  key += ".zip";
  return key;
}

Status validateListPrefix(std::string_view prefix) {
  if (prefix.empty()) return {};
  const std::size_t lastSlash = prefix.rfind('/');
  if (lastSlash != std::string_view::npos) {
    if (auto folder = validateKey(prefix.substr(0, lastSlash)); !folder) return folder;
  }
  const std::string_view partial =
      lastSlash == std::string_view::npos ? prefix : prefix.substr(lastSlash + 1);
  // A partial segment is valid if completing it could give a valid key.
  if (!partial.empty()) {
    std::string completed(partial);
    completed += 'x';
    if (auto checked = validateKey(completed); !checked) return checked;
  }
  return {};
}

}  // namespace stratus::blob
