#include "blob/code_cache.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "blob/code_cache_folder.h"
#include "common/crypto.h"
#include "common/log.h"

namespace stratus::blob {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void brokenInvariant(const char* what) {
  std::fprintf(stderr, "CodeCache: %s\n", what);
  std::abort();
}

void removeAll(const std::vector<fs::path>& folders) {
  for (const fs::path& folder : folders) removeQuietly(folder);
}

}  // namespace

// ---- CodeLease

CodeLease::CodeLease(CodeCache& cache, std::string sha256, fs::path path)
    : cache_(&cache), sha256_(std::move(sha256)), path_(std::move(path)) {}

CodeLease::CodeLease(CodeLease&& other) noexcept
    : cache_(std::exchange(other.cache_, nullptr)),
      sha256_(std::move(other.sha256_)),
      path_(std::move(other.path_)) {}

CodeLease& CodeLease::operator=(CodeLease&& other) noexcept {
  if (this != &other) {
    release();
    cache_ = std::exchange(other.cache_, nullptr);
    sha256_ = std::move(other.sha256_);
    path_ = std::move(other.path_);
  }
  return *this;
}

CodeLease::~CodeLease() { release(); }

void CodeLease::release() {
  if (cache_ != nullptr) std::exchange(cache_, nullptr)->release(sha256_);
}

// ---- The threads materialising one version

// They take turns on one mutex per version, so the first one fetches and the others find
// its result, while other versions have mutexes of their own.
class CodeCache::InFlight {
 public:
  InFlight(CodeCache& cache, const std::string& sha256) : cache_(cache), sha256_(sha256) {
    std::lock_guard lock(cache_.mutex_);
    auto& slot = cache_.inFlight_[sha256_];
    if (!slot) slot = std::make_shared<std::mutex>();
    turn_ = slot;
  }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;
  ~InFlight() {
    // Copies are only taken under the cache's mutex, so whoever drops the last one here
    // sees a use count of 1 (the map's) and removes the entry.
    std::lock_guard lock(cache_.mutex_);
    turn_.reset();
    auto found = cache_.inFlight_.find(sha256_);
    if (found != cache_.inFlight_.end() && found->second.use_count() == 1) {
      cache_.inFlight_.erase(found);
    }
  }

  std::mutex& turn() { return *turn_; }

 private:
  CodeCache& cache_;
  const std::string& sha256_;
  std::shared_ptr<std::mutex> turn_;
};

// ---- CodeCache

CodeCache::CodeCache(fs::path root, CodeCacheOptions options)
    : root_(std::move(root)), options_(options) {}

CodeCache::~CodeCache() {
  std::lock_guard lock(mutex_);
  if (evictable_.size() != entries_.size()) brokenInvariant("destroyed while a lease is alive");
}

Status CodeCache::open() {
  if (opened_.load(std::memory_order_acquire)) return {};
  std::lock_guard lock(openMutex_);
  if (opened_.load(std::memory_order_relaxed)) return {};
  if (auto opened = openLocked(); !opened) {
    return propagate(std::move(opened.error()), "open code cache");
  }
  opened_.store(true, std::memory_order_release);
  return {};
}

Status CodeCache::openLocked() {
  auto folderLock = lockCacheFolder(root_);
  if (!folderLock) return std::unexpected(std::move(folderLock.error()));
  auto versions = scanCacheFolder(root_, options_.limits);
  if (!versions) return std::unexpected(std::move(versions.error()));
  folderLock_ = std::move(*folderLock);

  std::vector<fs::path> evicted;
  {
    std::lock_guard lock(mutex_);
    for (const CachedVersion& version : *versions) {
      addEvictableLocked(version.sha256, version.bytes);
    }
    evicted = evictLocked();
  }
  removeAll(evicted);
  const CodeCacheStats found = stats();
  log::info("code cache ready", {{"path", root_.string()},
                                 {"entries", found.entries},
                                 {"bytes", found.bytes},
                                 {"max_bytes", options_.maxBytes}});
  return {};
}

Result<CodeLease> CodeCache::materialise(BlobStore& blobs, const std::string& blobKey,
                                         const std::string& sha256) {
  if (!isSha256Hex(sha256)) {
    return invalid("invalid_sha256", "a code digest must be 64 lowercase hex characters");
  }
  if (auto opened = open(); !opened) return std::unexpected(std::move(opened.error()));
  if (auto lease = leaseIfCached(sha256)) return std::move(*lease);
  return fetchOnce(blobs, blobKey, sha256);
}

CodeCacheStats CodeCache::stats() const {
  std::lock_guard lock(mutex_);
  return {.entries = entries_.size(),
          .bytes = bytes_,
          .hits = hits_,
          .misses = misses_,
          .evictions = evictions_};
}

std::optional<CodeLease> CodeCache::leaseIfCached(const std::string& sha256) {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(sha256);
  if (found == entries_.end()) return std::nullopt;
  ++hits_;
  Entry& entry = found->second;
  if (entry.leases++ == 0) evictable_.erase(entry.evictable);
  return CodeLease(*this, sha256, root_ / sha256);
}

Result<CodeLease> CodeCache::fetchOnce(BlobStore& blobs, const std::string& blobKey,
                                       const std::string& sha256) {
  InFlight group(*this, sha256);
  std::lock_guard turn(group.turn());
  // The thread that had the turn before may have just added it.
  if (auto lease = leaseIfCached(sha256)) return std::move(*lease);
  {
    std::lock_guard lock(mutex_);
    ++misses_;
  }
  auto bytes = fetchAndUnpack(blobs, blobKey, sha256);
  if (!bytes) return std::unexpected(std::move(bytes.error()));
  return addLeased(sha256, *bytes);
}

Result<std::uint64_t> CodeCache::fetchAndUnpack(BlobStore& blobs, const std::string& blobKey,
                                                const std::string& sha256) {
  const fs::path dest = root_ / sha256;
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
  // A folder the index does not know (an eviction that could not move it aside, or one put
  // there by hand) is not trusted: unpackZip would keep it instead of unpacking.
  if (auto cleared = discard(dest); !cleared) {
    return propagate(std::move(cleared.error()), "clear stale code " + sha256);
  }
  if (auto unpacked = unpackZip(*zip, dest, options_.limits); !unpacked) {
    return propagate(std::move(unpacked.error()), "materialise code " + blobKey);
  }
  // unpackZip does not report sizes; a stat per file is far cheaper than decompressing the
  // zip a second time with inspectZip.
  auto bytes = measureCodeFolder(dest, options_.limits);
  if (!bytes) {
    (void)discard(dest);
    return propagate(std::move(bytes.error()), "measure code " + blobKey);
  }
  return *bytes;
}

CodeLease CodeCache::addLeased(const std::string& sha256, std::uint64_t bytes) {
  std::vector<fs::path> evicted;
  {
    std::lock_guard lock(mutex_);
    // Only the thread holding this version's turn adds it, after finding it absent.
    if (!entries_.try_emplace(sha256, Entry{.bytes = bytes, .leases = 1}).second) {
      brokenInvariant("a version was added twice");
    }
    bytes_ += bytes;
    evicted = evictLocked();
  }
  removeAll(evicted);
  return CodeLease(*this, sha256, root_ / sha256);
}

void CodeCache::release(const std::string& sha256) {
  std::vector<fs::path> evicted;
  bool lastLease = false;
  {
    std::lock_guard lock(mutex_);
    auto found = entries_.find(sha256);
    if (found == entries_.end() || found->second.leases == 0) {
      brokenInvariant("a lease was released on a version nobody leased");
    }
    Entry& entry = found->second;
    lastLease = --entry.leases == 0;
    if (lastLease) {
      entry.evictable = evictable_.insert(evictable_.end(), sha256);
      evicted = evictLocked();
    }
  }
  // If the version was evicted meanwhile this touches nothing, or a fresh copy of the same
  // code, which is just as recently used.
  if (lastLease) markUsed(root_ / sha256);
  removeAll(evicted);
}

void CodeCache::addEvictableLocked(const std::string& sha256, std::uint64_t bytes) {
  auto [entry, added] = entries_.try_emplace(sha256, Entry{.bytes = bytes});
  if (!added) return;
  entry->second.evictable = evictable_.insert(evictable_.end(), sha256);
  bytes_ += bytes;
}

std::vector<fs::path> CodeCache::evictLocked() {
  std::vector<fs::path> evicted;
  while (bytes_ > options_.maxBytes && !evictable_.empty()) {
    const std::string sha256 = std::move(evictable_.front());
    evictable_.pop_front();
    auto found = entries_.find(sha256);
    bytes_ -= found->second.bytes;
    entries_.erase(found);
    ++evictions_;
    // Moved aside before the lock is released: later, the same name could already hold a
    // fresh copy of this version that another thread has unpacked and leased.
    auto aside = moveAside(root_ / sha256);
    if (aside) {
      evicted.push_back(std::move(*aside));
    } else {
      log::warn("code cache: cannot evict", {{"error", aside.error().describe()}});
    }
  }
  noteBoundLocked();
  return evicted;
}

// Over the bound with nothing left to evict means every cached version is in use: said once
// each time it happens, not on every call until it passes.
void CodeCache::noteBoundLocked() {
  if (bytes_ <= options_.maxBytes) {
    warnedOverBound_ = false;
    return;
  }
  if (warnedOverBound_) return;
  warnedOverBound_ = true;
  log::warn("code cache over its bound: every cached version is in use",
            {{"bytes", bytes_}, {"max_bytes", options_.maxBytes}, {"entries", entries_.size()}});
}

}  // namespace stratus::blob
