#include "api/invocation_recorder.h"

#include <string>
#include <algorithm>
#include <utility>

#include "common/log.h"

namespace stratus::api {

InvocationRecorder::InvocationRecorder(store::MetadataStore& store, std::size_t maxQueued)
    : store_(store), maxQueued_(maxQueued), thread_([this] { loop(); }) {}

InvocationRecorder::~InvocationRecorder() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void InvocationRecorder::record(store::Invocation invocation) {
  {
    std::lock_guard lock(mutex_);
    ++queued_;
    if (queue_.size() >= maxQueued_) {  // the store has been failing for a while
      ++settled_;
      log::warn("invocation record dropped: the store is not keeping up",
                {{"invocation_id", invocation.id}});
      return;
    }
    queue_.push_back(std::move(invocation));
    // Only the first record of a batch wakes the writer; the rest would only wake it into
    // its batch window again (a futex call per invocation for nothing).
    if (queue_.size() > 1) return;
  }
  wake_.notify_one();
}

void InvocationRecorder::flush() {
  std::unique_lock lock(mutex_);
  uint64_t target = queued_;
  flushWanted_ = std::max(flushWanted_, target);
  wake_.notify_one();
  written_.wait(lock, [&] { return settled_ >= target; });
}

void InvocationRecorder::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything is written
    // Let a batch gather: a commit per record, even off the request path, cost more host
    // CPU than the rest of a warm call. A flush or a stop does not wait.
    wake_.wait_for(lock, kBatchWindow, [&] { return stopping_ || flushWanted_ > settled_; });
    std::vector<store::Invocation> batch = std::exchange(queue_, {});
    lock.unlock();
    if (auto ok = store_.recordInvocations(batch); !ok)
      log::warn("could not record invocations",
                {{"count", batch.size()}, {"error", ok.error().describe()}});
    lock.lock();
    settled_ += batch.size();
    written_.notify_all();
  }
}

}  // namespace stratus::api
