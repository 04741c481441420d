// Deletes code blobs that no function version refers to: what a failed upload (blob
// written, metadata refused) or an interrupted delete leaves behind.
//
// A blob is only a candidate after this sweeper has seen it unreferenced continuously for
// the grace period, because an upload in flight has its blob before its version row (the
// blob is written first so a version never points at missing code). The memory of "first
// seen unreferenced" is per process: a restart only postpones deletions. Several nodes may
// sweep the same store; deleting an already deleted blob is not an error.
//
// Re-uploading exactly the code of an upload that failed long ago reuses its blob key, so
// a sweep may be deleting that very blob while the new version commits. The deletion runs
// under MetadataStore::removeBlobIfUnused, which re-checks the key and holds back a commit
// naming it until the blob is gone; FunctionService then finds its blob missing after
// committing and writes it again.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "blob/blob_store.h"
#include "common/error.h"
#include "store/metadata_store.h"

namespace stratus::api {

struct SweepReport {
  int scanned = 0;     // blobs under users/
  int unreferenced = 0;
  int deleted = 0;
  int failed = 0;      // deletions that failed (retried next pass)
};

class BlobSweeper {
 public:
  using Clock = std::function<int64_t()>;  // milliseconds

  BlobSweeper(store::MetadataStore& store, blob::BlobStore& blobs, std::chrono::seconds grace,
              Clock clock);
  BlobSweeper(const BlobSweeper&) = delete;
  BlobSweeper& operator=(const BlobSweeper&) = delete;
  ~BlobSweeper() { stop(); }

  // One pass. Fails (deleting nothing) if either store cannot be read.
  Result<SweepReport> sweepOnce();

  // Sweeps every `interval` on a background thread until stop().
  void start(std::chrono::seconds interval);
  void stop();

 private:
  store::MetadataStore& store_;
  blob::BlobStore& blobs_;
  const int64_t graceMs_;
  Clock clock_;
  std::map<std::string, int64_t> unreferencedSince_;  // only touched by the sweeping thread

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace stratus::api
