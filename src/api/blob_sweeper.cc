#include "api/blob_sweeper.h"

#include <algorithm>

#include "common/log.h"

namespace stratus::api {

namespace {
// Every blob Stratus writes is under users/ (blob::codeKey); anything else in the bucket
// or folder is not ours to delete.
constexpr const char* kCodePrefix = "users/";
}  // namespace

BlobSweeper::BlobSweeper(store::MetadataStore& store, blob::BlobStore& blobs,
                         std::chrono::seconds grace, Clock clock)
    : store_(store),
      blobs_(blobs),
      graceMs_(std::chrono::duration_cast<std::chrono::milliseconds>(grace).count()),
      clock_(std::move(clock)) {}

Result<SweepReport> BlobSweeper::sweepOnce() {
  // Blobs first, references second: a blob written and committed between the two reads
  // is then seen as referenced, never the other way round.
  auto stored = blobs_.list(kCodePrefix);
  if (!stored) return propagate(std::move(stored.error()), "sweep: list blobs");
  auto inUse = store_.blobKeysInUse();
  if (!inUse) return propagate(std::move(inUse.error()), "sweep: list blob references");

  const int64_t now = clock_();
  SweepReport report;
  std::map<std::string, int64_t> stillUnreferenced;
  for (const auto& key : *stored) {
    ++report.scanned;
    if (std::binary_search(inUse->begin(), inUse->end(), key)) continue;
    ++report.unreferenced;
    auto seen = unreferencedSince_.find(key);
    const int64_t since = seen == unreferencedSince_.end() ? now : seen->second;
    if (now - since < graceMs_) {
      stillUnreferenced.emplace(key, since);
      continue;
    }
    // Checked again, under the store's lock on the key, right as it is deleted: a version
    // committed since the list above wins.
    auto removed = store_.removeBlobIfUnused(key, [&] { return blobs_.remove(key); });
    if (removed && *removed) {
      ++report.deleted;
      log::info("swept unreferenced blob", {{"key", key}});
    } else if (removed) {
      --report.unreferenced;  // referenced after all
    } else {
      ++report.failed;
      stillUnreferenced.emplace(key, since);
      log::warn("cannot delete unreferenced blob",
                {{"key", key}, {"error", removed.error().describe()}});
    }
  }
  // Keys that were referenced again, or vanished, are forgotten.
  unreferencedSince_ = std::move(stillUnreferenced);
  return report;
}

void BlobSweeper::start(std::chrono::seconds interval) {
  stopping_ = false;
  thread_ = std::thread([this, interval] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, interval, [this] { return stopping_; })) {
      lock.unlock();
      if (auto report = sweepOnce(); !report) {
        log::warn("blob sweep failed", {{"error", report.error().describe()}});
      } else if (report->deleted > 0 || report->failed > 0) {
        log::info("blob sweep", {{"scanned", report->scanned},
                                 {"unreferenced", report->unreferenced},
                                 {"deleted", report->deleted},
                                 {"failed", report->failed}});
      }
      lock.lock();
    }
  });
}

void BlobSweeper::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace stratus::api
