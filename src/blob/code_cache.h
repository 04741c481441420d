// A node-local folder of unpacked code, one subfolder per code SHA-256, so an instance
// start reads code from local disk instead of fetching and unzipping it every time. Each
// version is fetched, checked and unpacked once, then shared read-only through leases.
// Versions nobody holds a lease on are evicted least recently used first to keep the
// folder within a byte bound; the folder and its order survive restarts (code_cache_folder.h).
// Safe to share between threads; one process per folder.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "blob/blob_store.h"
#include "blob/code_package.h"
#include "common/error.h"
#include "common/unique_fd.h"

namespace stratus::blob {

struct CodeCacheOptions {
  // Bound on the unpacked bytes (sum of file sizes) of all cached versions. Leased versions
  // are never evicted, so while they are in use the cache may go over it.
  std::uint64_t maxBytes = 2ull << 30;
  // Applied again when unpacking and when re-reading the folder after a restart: neither
  // the blob store nor the disk is trusted to hold what was checked at upload.
  PackageLimits limits;
};

struct CodeCacheStats {
  std::size_t entries = 0;
  std::uint64_t bytes = 0;
  std::uint64_t hits = 0;       // leases served without a fetch
  std::uint64_t misses = 0;     // fetches started, including failed ones
  std::uint64_t evictions = 0;  // versions removed to stay within maxBytes
};

class CodeCache;

// Read access to one cached version. While any lease on a version lives, its folder is
// neither moved nor removed; dropping the last one makes it the most recently used
// evictable version. Must not outlive its CodeCache.
class CodeLease {
 public:
  CodeLease(CodeLease&& other) noexcept;
  CodeLease& operator=(CodeLease&& other) noexcept;
  CodeLease(const CodeLease&) = delete;
  CodeLease& operator=(const CodeLease&) = delete;
  ~CodeLease();

  // <root>/<sha256>/: complete and read-only.
  const std::filesystem::path& path() const { return path_; }
  const std::string& sha256() const { return sha256_; }

 private:
  friend class CodeCache;
  CodeLease(CodeCache& cache, std::string sha256, std::filesystem::path path);
  void release();

  CodeCache* cache_ = nullptr;  // null once moved from
  std::string sha256_;
  std::filesystem::path path_;
};

class CodeCache {
 public:
  // Touches nothing on disk until open().
  explicit CodeCache(std::filesystem::path root, CodeCacheOptions options = {});
  CodeCache(const CodeCache&) = delete;
  CodeCache& operator=(const CodeCache&) = delete;
  // Aborts if a lease is still alive: its holder would be reading a folder nobody guards.
  ~CodeCache();

  // Takes the folder (creating it; "code_cache_in_use" if another process holds it), removes
  // what interrupted unpacks and removals left, and registers the complete versions found,
  // oldest mtime first in the eviction order. Evicts at once if they exceed maxBytes (the
  // bound may have been lowered). Does nothing once it has succeeded; materialise calls it,
  // so calling it at start-up only moves the scan and any error there.
  Status open();

  // A lease on <root>/<sha256>/ holding the unpacked code of `blobKey`. On a miss the blob
  // is fetched, its SHA-256 checked against `sha256` (a mismatch is internal,
  // "code_checksum_mismatch": the store handed back other bytes than were uploaded) and
  // unpacked; threads asking for the same version meanwhile wait for that one fetch, while
  // other versions are fetched in parallel. Then unleased versions are evicted, least
  // recently used first, until the cache is within maxBytes again or all are leased.
  Result<CodeLease> materialise(BlobStore& blobs, const std::string& blobKey,
                                const std::string& sha256);

  CodeCacheStats stats() const;
  const std::filesystem::path& root() const { return root_; }

 private:
  friend class CodeLease;
  class InFlight;

  struct Entry {
    std::uint64_t bytes = 0;
    std::size_t leases = 0;
    std::list<std::string>::iterator evictable;  // its place in evictable_ while leases == 0
  };

  Status openLocked();
  std::optional<CodeLease> leaseIfCached(const std::string& sha256);
  Result<CodeLease> fetchOnce(BlobStore& blobs, const std::string& blobKey,
                              const std::string& sha256);
  Result<std::uint64_t> fetchAndUnpack(BlobStore& blobs, const std::string& blobKey,
                                       const std::string& sha256);
  CodeLease addLeased(const std::string& sha256, std::uint64_t bytes);
  void release(const std::string& sha256);

  // The rest run under mutex_.
  void addEvictableLocked(const std::string& sha256, std::uint64_t bytes);
  std::vector<std::filesystem::path> evictLocked();
  void noteBoundLocked();

  const std::filesystem::path root_;
  const CodeCacheOptions options_;

  std::mutex openMutex_;
  std::atomic<bool> opened_{false};
  UniqueFd folderLock_;

  // Guards the index below; never held while fetching or unpacking.
  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;
  std::list<std::string> evictable_;  // unleased versions, least recently used first
  std::uint64_t bytes_ = 0;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
  std::uint64_t evictions_ = 0;
  bool warnedOverBound_ = false;
  // One mutex per version being fetched; dropped when the last waiter leaves.
  std::map<std::string, std::shared_ptr<std::mutex>> inFlight_;
};

}  // namespace stratus::blob
