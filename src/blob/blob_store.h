// Where code blobs live. Implementations: local/ (a folder, the embedded default) and,
// later, s3/. Every implementation runs tests/unit/blob/blob_store_contract.h unchanged.
//
// Keys are relative slash-separated paths of [A-Za-z0-9._-] segments, never "." or "..",
// e.g. users/{userId}/functions/{functionId}/{sha256}.zip; anything else is invalid_argument.
// A put is atomic: a reader sees the old blob, the whole new blob, or nothing.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace stratus::blob {

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  virtual Status put(std::string_view key, std::string_view data) = 0;
  virtual Result<std::string> get(std::string_view key) = 0;  // not_found if absent
  virtual Status remove(std::string_view key) = 0;            // absent is not an error
  virtual Result<bool> exists(std::string_view key) = 0;
  virtual Result<std::vector<std::string>> list(std::string_view prefix) = 0;  // sorted
};

using BlobStorePtr = std::unique_ptr<BlobStore>;

// Pure checks shared by implementations.
Status validateKey(std::string_view key);
// A list() prefix: its folder part ("users/u1/fun" -> "users/u1") must be valid key
// segments, its last, partial segment only key characters.
Status validateListPrefix(std::string_view prefix);

// The content-addressed key of DESIGN §3.
std::string codeKey(std::string_view userId, std::string_view functionId,
                    std::string_view sha256);

}  // namespace stratus::blob
