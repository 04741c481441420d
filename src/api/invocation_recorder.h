// Writes invocation records off the request path. A call's answer does not wait for its
// record's commit, and the records made while one batch is being written go together in
// the next: one transaction for many calls under load, where one INSERT per call was the
// largest single cost of a warm invocation on the host.
//
// A record reaches the store within about 20 ms of its call's answer; flush() waits for
// everything queued so far, and listing invocations calls it, so a caller always sees its
// own calls. A clean stop writes what is queued; records still queued when the process is
// killed are lost (their calls had answered). A store that keeps failing loses records
// (logged with their count) rather than growing the queue without bound.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "store/metadata_store.h"

namespace stratus::api {

class InvocationRecorder {
 public:
  explicit InvocationRecorder(store::MetadataStore& store, std::size_t maxQueued = 20000);
  ~InvocationRecorder();  // writes what is queued, then stops
  InvocationRecorder(const InvocationRecorder&) = delete;
  InvocationRecorder& operator=(const InvocationRecorder&) = delete;

  void record(store::Invocation invocation);
  // Returns once every record queued before the call has been written (or given up on).
  void flush();

 private:
  void loop();
  static constexpr std::chrono::milliseconds kBatchWindow{20};

  store::MetadataStore& store_;
  const std::size_t maxQueued_;
  std::mutex mutex_;
  std::condition_variable wake_, written_;
  std::vector<store::Invocation> queue_;
  uint64_t queued_ = 0;   // records accepted or dropped so far
  uint64_t settled_ = 0;  // of those, how many are settled (written, skipped or dropped)
  uint64_t flushWanted_ = 0;  // flush() waits for records up to this count
  bool stopping_ = false;
  std::thread thread_;  // last: starts after the members it uses
};

}  // namespace stratus::api
