// A node-local folder of unpacked code, one subfolder per code SHA-256, so an instance
// start reads code from local disk instead of fetching and unzipping it every time.
// Safe to share between threads. No eviction yet.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "blob/blob_store.h"
#include "blob/code_package.h"
#include "common/error.h"

namespace stratus::blob {

class CodeCache {
 public:
  explicit CodeCache(std::filesystem::path root, PackageLimits limits = {})
      : root_(std::move(root)), limits_(limits) {}
  CodeCache(const CodeCache&) = delete;
  CodeCache& operator=(const CodeCache&) = delete;

  // <root>/<sha256>/ holding the unpacked code of `blobKey`. The blob is fetched, its
  // SHA-256 checked against `sha256` (a mismatch is internal, "code_checksum_mismatch":
  // the store handed back other bytes than were uploaded) and unpacked once; threads asking
  // for the same code meanwhile wait for that one unpack instead of repeating it.
  Result<std::filesystem::path> materialise(BlobStore& blobs, const std::string& blobKey,
                                            const std::string& sha256);

  const std::filesystem::path& root() const { return root_; }

 private:
  Result<std::filesystem::path> fetchAndUnpack(BlobStore& blobs, const std::string& blobKey,
                                               const std::string& sha256,
                                               const std::filesystem::path& dest);

  std::filesystem::path root_;
  PackageLimits limits_;
  std::mutex inFlightMutex_;
  // One mutex per code version being materialised; dropped when the last waiter leaves.
  std::map<std::string, std::shared_ptr<std::mutex>> inFlight_;
};

}  // namespace stratus::blob
