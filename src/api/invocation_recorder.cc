#include "api/invocation_recorder.h"

#include <string>
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
  }
  wake_.notify_one();
}

void InvocationRecorder::flush() {
  std::unique_lock lock(mutex_);
  uint64_t target = queued_;
  written_.wait(lock, [&] { return settled_ >= target; });
}

void InvocationRecorder::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything is written
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
