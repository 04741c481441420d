// Lambda's asynchronous invocation (InvocationType Event): the call is accepted with 202 and
// queued; worker threads run it, and a run that fails (the function raised, timed out, was
// throttled, or the platform could not run it) is tried again after a delay, twice by
// default, as Lambda does. The queue lives in this process's memory: events still queued
// when the server stops are dropped (and logged), which the docs say.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/error.h"
#include "store/model.h"

namespace stratus::api::lambda {

struct EventQueueOptions {
  int workers = 2;
  std::size_t capacity = 1024;  // events waiting, all functions together; more is 429
  // One entry per retry: the delay before it.
  std::vector<std::chrono::milliseconds> retryDelays{std::chrono::seconds(1),
                                                     std::chrono::seconds(2)};
};

class EventQueue {
 public:
  // Runs one attempt; an error (including a function error) means "try again".
  using Runner = std::function<Status(const store::Function& function, const std::string& event,
                                      const std::string& requestId, int attempt)>;

  EventQueue(Runner runner, EventQueueOptions options = {});
  ~EventQueue();
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;

  // Queues the event for `function` as it should run (lambda_target.h); returns the request
  // id. rate_limited ("event_queue_full") when the queue is at capacity, unavailable when
  // stopping.
  Result<std::string> enqueue(store::Function function, std::string event);
  // Stops the workers after the attempts in progress; drops what is still queued.
  void stop();
  std::size_t pending() const;

 private:
  struct Job {
    store::Function function;
    std::string event;
    std::string requestId;
    int attempt = 0;
    std::chrono::steady_clock::time_point notBefore;
  };
  void work();

  Runner runner_;
  EventQueueOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Job> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace stratus::api::lambda
