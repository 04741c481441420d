#include "blob/code_cache.h"

#include <system_error>

#include "common/crypto.h"

namespace stratus::blob {

namespace {

// The digest becomes a folder name: it must be exactly a SHA-256 in lowercase hex.
bool isSha256Hex(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// unpackZip renames a complete folder into place, so existing means complete.
bool present(const std::filesystem::path& dest) {
  std::error_code ec;
  return std::filesystem::is_directory(std::filesystem::symlink_status(dest, ec));
}

}  // namespace

Result<std::filesystem::path> CodeCache::materialise(BlobStore& blobs, const std::string& blobKey,
                                                     const std::string& sha256) {
  if (!isSha256Hex(sha256)) {
    return invalid("invalid_sha256", "a code digest must be 64 lowercase hex characters");
  }
  const std::filesystem::path dest = root_ / sha256;
  if (present(dest)) return dest;

  std::shared_ptr<std::mutex> keyMutex;
  {
    std::lock_guard lock(inFlightMutex_);
    auto& slot = inFlight_[sha256];
    if (!slot) slot = std::make_shared<std::mutex>();
    keyMutex = slot;
  }
  Result<std::filesystem::path> result;
  {
    std::lock_guard keyLock(*keyMutex);
    result = present(dest) ? Result<std::filesystem::path>(dest)
                           : fetchAndUnpack(blobs, blobKey, sha256, dest);
  }
  {
    // Copies are only taken under inFlightMutex_, so whoever drops the last one here sees
    // a use count of 1 (the map's) and removes the entry.
    std::lock_guard lock(inFlightMutex_);
    keyMutex.reset();
    auto found = inFlight_.find(sha256);
    if (found != inFlight_.end() && found->second.use_count() == 1) inFlight_.erase(found);
  }
  return result;
}

Result<std::filesystem::path> CodeCache::fetchAndUnpack(BlobStore& blobs,
                                                        const std::string& blobKey,
                                                        const std::string& sha256,
                                                        const std::filesystem::path& dest) {
  auto zip = blobs.get(blobKey);
  if (!zip) return propagate(std::move(zip.error()), "fetch code " + blobKey);
  if (sha256Hex(*zip) != sha256) {
    Error error{ErrorKind::internal,
                "code_checksum_mismatch",
                "the stored code does not match its checksum",
                {}};
    error.addContext("code " + blobKey + " expected sha256 " + sha256);
    return std::unexpected(std::move(error));
  }
  if (auto unpacked = unpackZip(*zip, dest, limits_); !unpacked) {
    return propagate(std::move(unpacked.error()), "materialise code " + blobKey);
  }
  return dest;
}

}  // namespace stratus::blob
