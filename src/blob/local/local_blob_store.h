// The embedded default BlobStore: one file per key under a root folder (DESIGN §6,
// --blobs file:///path).
#pragma once

#include <filesystem>

#include "blob/blob_store.h"

namespace stratus::blob {

class LocalBlobStore final : public BlobStore {
 public:
  // `root` must be an existing folder; use openLocalBlobStore.
  explicit LocalBlobStore(std::filesystem::path root) : root_(std::move(root)) {}

  // Atomic and durable: the data goes to a temporary file in the key's folder, which is
  // fsynced, renamed over the key, and the folder fsynced. A crash leaves the old blob or
  // the new one, plus at worst a stray temporary file (named with '~', which no key can
  // contain, so list() never shows it).
  Status put(std::string_view key, std::string_view data) override;
  Result<std::string> get(std::string_view key) override;
  Status remove(std::string_view key) override;
  Result<bool> exists(std::string_view key) override;
  Result<std::vector<std::string>> list(std::string_view prefix) override;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

// Creates `root` (and its parents) if needed.
Result<BlobStorePtr> openLocalBlobStore(std::filesystem::path root);

}  // namespace stratus::blob
