#include "api/lambda/event_queue.h"

#include <algorithm>

#include "common/crypto.h"
#include "common/log.h"

namespace stratus::api::lambda {

EventQueue::EventQueue(Runner runner, EventQueueOptions options)
    : runner_(std::move(runner)), options_(std::move(options)) {
  for (int i = 0; i < std::max(1, options_.workers); ++i)
    workers_.emplace_back([this] { work(); });
}

EventQueue::~EventQueue() { stop(); }

Result<std::string> EventQueue::enqueue(store::Function function, std::string event) {
  std::lock_guard lock(mutex_);
  if (stopping_) return fail(ErrorKind::unavailable, "shutting_down", "the server is stopping");
  if (jobs_.size() >= options_.capacity)
    return fail(ErrorKind::rate_limited, "event_queue_full",
                "the queue of asynchronous invocations is full; try again shortly");
  Job job{std::move(function), std::move(event), newId(), 0, std::chrono::steady_clock::now()};
  std::string id = job.requestId;
  jobs_.push_back(std::move(job));
  changed_.notify_one();
  return id;
}

void EventQueue::stop() {
  std::size_t dropped = 0;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
    dropped = jobs_.size();
    jobs_.clear();
    changed_.notify_all();
  }
  for (auto& worker : workers_)
    if (worker.joinable()) worker.join();
  workers_.clear();
  if (dropped > 0)
    log::warn("asynchronous invocations dropped at shutdown", {{"count", dropped}});
}

std::size_t EventQueue::pending() const {
  std::lock_guard lock(mutex_);
  return jobs_.size();
}

void EventQueue::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (stopping_) return;
    // The job due first; retries wait for their delay while newer events go ahead.
    auto due = std::min_element(jobs_.begin(), jobs_.end(), [](const Job& a, const Job& b) {
      return a.notBefore < b.notBefore;
    });
    if (due == jobs_.end()) {
      changed_.wait(lock);
      continue;
    }
    if (due->notBefore > std::chrono::steady_clock::now()) {
      changed_.wait_until(lock, due->notBefore);
      continue;
    }
    Job job = std::move(*due);
    jobs_.erase(due);
    lock.unlock();
    Status ran = runner_(job.function, job.event, job.requestId, job.attempt);
    lock.lock();
    if (ran) continue;
    const auto retries = options_.retryDelays.size();
    if (static_cast<std::size_t>(job.attempt) >= retries || stopping_) {
      log::warn("asynchronous invocation failed, retries exhausted",
                {{"request_id", job.requestId},
                 {"function_id", job.function.id},
                 {"attempts", job.attempt + 1},
                 {"error", ran.error().describe()}});
      continue;
    }
    job.notBefore = std::chrono::steady_clock::now() + options_.retryDelays[job.attempt];
    ++job.attempt;
    // A retry keeps its place even when the queue has filled up meanwhile: it was accepted.
    jobs_.push_back(std::move(job));
    changed_.notify_one();
  }
}

}  // namespace stratus::api::lambda
