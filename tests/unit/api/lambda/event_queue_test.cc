#include "api/lambda/event_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "common/crypto.h"

namespace stratus::api::lambda {
namespace {

using namespace std::chrono_literals;

EventQueueOptions fast() {
  EventQueueOptions options;
  options.workers = 2;
  options.retryDelays = {20ms, 40ms};
  return options;
}

bool waitFor(const std::function<bool()>& done, std::chrono::milliseconds limit = 5s) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

store::Function named(const std::string& id) {
  store::Function function;
  function.id = id;
  return function;
}

TEST(EventQueue, RunsEventsInTheBackground) {
  initCrypto();
  std::atomic<int> runs{0};
  std::mutex mutex;
  std::string seenEvent;
  EventQueue queue(
      [&](const store::Function& f, const std::string& event, const std::string&, int) -> Status {
        std::lock_guard lock(mutex);
        seenEvent = f.id + ":" + event;
        ++runs;
        return {};
      },
      fast());
  auto id = queue.enqueue(named("f1"), R"({"a":1})");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->size(), 20u);
  ASSERT_TRUE(waitFor([&] { return runs == 1; }));
  std::lock_guard lock(mutex);
  EXPECT_EQ(seenEvent, R"(f1:{"a":1})");
}

TEST(EventQueue, AFailingEventIsTriedThreeTimesWithDelays) {
  initCrypto();
  std::atomic<int> attempts{0};
  std::vector<std::chrono::steady_clock::time_point> times;
  std::mutex mutex;
  EventQueue queue(
      [&](const store::Function&, const std::string&, const std::string&, int attempt) -> Status {
        std::lock_guard lock(mutex);
        EXPECT_EQ(attempt, static_cast<int>(times.size()));
        times.push_back(std::chrono::steady_clock::now());
        ++attempts;
        return fail(ErrorKind::internal, "function_error", "raised");
      },
      fast());
  ASSERT_TRUE(queue.enqueue(named("f"), "{}"));
  ASSERT_TRUE(waitFor([&] { return attempts == 3; }));
  std::this_thread::sleep_for(150ms);
  EXPECT_EQ(attempts, 3);  // no fourth try
  std::lock_guard lock(mutex);
  EXPECT_GE(times[1] - times[0], 20ms);
  EXPECT_GE(times[2] - times[1], 40ms);
  EXPECT_EQ(queue.pending(), 0u);
}

TEST(EventQueue, AnEventThatSucceedsOnRetryStops) {
  initCrypto();
  std::atomic<int> attempts{0};
  EventQueue queue(
      [&](const store::Function&, const std::string&, const std::string&, int) -> Status {
        if (++attempts < 2) return fail(ErrorKind::rate_limited, "concurrency_limit", "busy");
        return {};
      },
      fast());
  ASSERT_TRUE(queue.enqueue(named("f"), "{}"));
  ASSERT_TRUE(waitFor([&] { return attempts == 2; }));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(attempts, 2);
}

TEST(EventQueue, AFullQueueThrottlesAndAStoppedOneRefuses) {
  initCrypto();
  std::atomic<bool> release{false};
  EventQueueOptions options = fast();
  options.workers = 1;
  options.capacity = 2;
  EventQueue queue(
      [&](const store::Function&, const std::string&, const std::string&, int) -> Status {
        while (!release) std::this_thread::sleep_for(1ms);
        return {};
      },
      options);
  ASSERT_TRUE(queue.enqueue(named("busy"), "{}"));
  ASSERT_TRUE(waitFor([&] { return queue.pending() == 0; }));  // the worker holds it
  ASSERT_TRUE(queue.enqueue(named("a"), "{}"));
  ASSERT_TRUE(queue.enqueue(named("b"), "{}"));
  auto full = queue.enqueue(named("c"), "{}");
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().kind, ErrorKind::rate_limited);
  EXPECT_EQ(full.error().code, "event_queue_full");
  release = true;
  queue.stop();
  EXPECT_EQ(queue.enqueue(named("d"), "{}").error().kind, ErrorKind::unavailable);
}

}  // namespace
}  // namespace stratus::api::lambda
