// The pool's decisions, with fake instances: reuse, limits, queueing, expiry, eviction,
// replacement, draining, timeouts and pre-warming.
#include "exec/pool/instance_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

namespace stratus::exec {
namespace {
using namespace std::chrono_literals;

// Answers each event on its own thread after `delay`, echoing the payload; `hang` never
// answers (until killed), `crashAfter` makes it unusable once it answered.
struct Behaviour {
  std::chrono::milliseconds delay{0};
  bool hang = false;
  bool crashAfter = false;
};

class FakeInstance final : public Instance {
 public:
  FakeInstance(Behaviour behaviour, std::atomic<int>& alive) : behaviour_(behaviour), alive_(alive) {
    ++alive_;
  }
  ~FakeInstance() override {
    kill(Error{ErrorKind::unavailable, "stopped", "stopped", {}});
    for (auto& t : threads_) t.join();
    --alive_;
  }
  Status invoke(runtime::Event event, Done done) override {
    std::lock_guard lock(mutex_);
    if (broken_) return fail(ErrorKind::unavailable, "instance_broken", "broken");
    ++calls_;
    done_ = std::move(done);
    if (behaviour_.hang) return {};
    threads_.emplace_back([this, payload = event.payload] {
      std::this_thread::sleep_for(behaviour_.delay);
      Done done;
      {
        std::lock_guard lock(mutex_);
        done = std::exchange(done_, nullptr);
        if (behaviour_.crashAfter) broken_ = true;
      }
      if (!done) return;
      InvocationResult result;
      result.outcome.kind = runtime::Outcome::Kind::response;
      result.outcome.body = payload + "#" + std::to_string(calls_);
      result.outcome.deliveredAt = std::chrono::steady_clock::now();
      done(std::move(result));
    });
    return {};
  }
  void kill(Error reason) override {
    Done done;
    {
      std::lock_guard lock(mutex_);
      broken_ = true;
      done = std::exchange(done_, nullptr);
    }
    if (done) {
      InvocationResult result;
      result.outcome.kind = runtime::Outcome::Kind::abandoned;
      result.outcome.reason = reason;
      done(std::move(result));
    }
  }
  bool reusable() override {
    std::lock_guard lock(mutex_);
    return !broken_;
  }
  int64_t memoryBytes() override { return 0; }
  std::optional<std::chrono::steady_clock::time_point> runningSince() override { return {}; }

 private:
  Behaviour behaviour_;
  std::atomic<int>& alive_;
  std::mutex mutex_;
  Done done_;
  bool broken_ = false;
  int calls_ = 0;
  std::vector<std::thread> threads_;
};

class FakeFactory final : public InstanceFactory {
 public:
  std::string name() const override { return "fake"; }
  Result<InstancePtr> start(const InstanceSpec& spec, bool* ready) override {
    if (ready) *ready = false;
    ++starts;
    auto found = behaviours.find(spec.functionId);
    return InstancePtr(new FakeInstance(found == behaviours.end() ? Behaviour{} : found->second, alive));
  }
  void shutdown() override {}
  std::map<std::string, Behaviour> behaviours;
  std::atomic<int> starts{0}, alive{0};
};

PoolRequest request(const std::string& functionId, std::string key = "v1", int memoryMb = 128) {
  PoolRequest r;
  r.executor = "fake";
  r.spec.functionId = functionId;
  r.spec.memoryMb = memoryMb;
  r.spec.timeoutS = 2;
  r.configKey = std::move(key);
  r.event.payload = "event";
  return r;
}

PoolOptions fastOptions() {
  PoolOptions options;
  options.memoryBudgetMb = 1024;
  options.queueWait = 100ms;
  options.maintenanceInterval = 10ms;
  return options;
}

TEST(InstancePool, ReusesAWarmInstanceAndKeepsItsState) {
  FakeFactory factory;
  InstancePool pool({{"fake", &factory}}, fastOptions());
  auto first = pool.invoke(request("f"));
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_TRUE(first->coldStart);
  auto second = pool.invoke(request("f"));
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->coldStart);
  EXPECT_EQ(second->result.outcome.body, "event#2");  // the same instance, second call
  EXPECT_EQ(factory.starts, 1);
}

TEST(InstancePool, FunctionsNeverShareInstances) {
  FakeFactory factory;
  InstancePool pool({{"fake", &factory}}, fastOptions());
  ASSERT_TRUE(pool.invoke(request("a")));
  auto other = pool.invoke(request("b"));
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->coldStart);
  EXPECT_EQ(other->result.outcome.body, "event#1");
  EXPECT_EQ(factory.starts, 2);
}

TEST(InstancePool, ReservedConcurrencyQueuesBrieflyThenThrottles) {
  FakeFactory factory;
  factory.behaviours["f"] = Behaviour{400ms};
  InstancePool pool({{"fake", &factory}}, fastOptions());
  auto limited = request("f");
  limited.reservedConcurrency = 1;
  auto running = std::async(std::launch::async, [&] { return pool.invoke(limited); });
  std::this_thread::sleep_for(50ms);
  auto refused = pool.invoke(limited);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::rate_limited);
  EXPECT_EQ(refused.error().code, "concurrency_limit");
  EXPECT_TRUE(running.get());
}

TEST(InstancePool, AQueuedRequestGetsTheInstanceWhenItFrees) {
  FakeFactory factory;
  factory.behaviours["f"] = Behaviour{50ms};
  InstancePool pool({{"fake", &factory}}, fastOptions());
  auto limited = request("f");
  limited.reservedConcurrency = 1;
  auto running = std::async(std::launch::async, [&] { return pool.invoke(limited); });
  std::this_thread::sleep_for(10ms);
  auto queued = pool.invoke(limited);  // waits up to 100 ms; the first answers at 50 ms
  ASSERT_TRUE(queued) << queued.error().describe();
  EXPECT_FALSE(queued->coldStart);
  EXPECT_TRUE(running.get());
  EXPECT_EQ(factory.starts, 1);
}

TEST(InstancePool, AFullQueueThrottlesAtOnce) {
  FakeFactory factory;
  factory.behaviours["f"] = Behaviour{300ms};
  auto options = fastOptions();
  options.queueCapacity = 1;
  options.queueWait = 1000ms;
  InstancePool pool({{"fake", &factory}}, options);
  auto limited = request("f");
  limited.reservedConcurrency = 1;
  auto running = std::async(std::launch::async, [&] { return pool.invoke(limited); });
  std::this_thread::sleep_for(30ms);
  auto waiting = std::async(std::launch::async, [&] { return pool.invoke(limited); });
  std::this_thread::sleep_for(30ms);
  auto started = std::chrono::steady_clock::now();
  auto refused = pool.invoke(limited);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "too_many_requests");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 200ms);
  EXPECT_TRUE(running.get());
  EXPECT_TRUE(waiting.get());
}

TEST(InstancePool, IdleInstancesExpire) {
  FakeFactory factory;
  auto options = fastOptions();
  options.idleExpiry = 50ms;
  InstancePool pool({{"fake", &factory}}, options);
  ASSERT_TRUE(pool.invoke(request("f")));
  EXPECT_EQ(factory.alive, 1);
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(factory.alive, 0);
  EXPECT_EQ(pool.stats().expirations, 1u);
  auto again = pool.invoke(request("f"));
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->coldStart);
}

TEST(InstancePool, MemoryPressureEvictsTheLeastRecentlyUsedIdleInstance) {
  FakeFactory factory;
  auto options = fastOptions();
  options.memoryBudgetMb = 256;
  InstancePool pool({{"fake", &factory}}, options);
  ASSERT_TRUE(pool.invoke(request("old")));
  ASSERT_TRUE(pool.invoke(request("recent")));
  ASSERT_TRUE(pool.invoke(request("new")));  // 3 x 128 MB > 256: "old" goes
  EXPECT_EQ(pool.stats().evictions, 1u);
  auto recent = pool.invoke(request("recent"));
  ASSERT_TRUE(recent);
  EXPECT_FALSE(recent->coldStart);
  auto old = pool.invoke(request("old"));
  ASSERT_TRUE(old);
  EXPECT_TRUE(old->coldStart);
}

TEST(InstancePool, ACrashedInstanceIsReplaced) {
  FakeFactory factory;
  factory.behaviours["f"] = Behaviour{0ms, false, true};
  InstancePool pool({{"fake", &factory}}, fastOptions());
  ASSERT_TRUE(pool.invoke(request("f")));
  auto next = pool.invoke(request("f"));
  ASSERT_TRUE(next);
  EXPECT_TRUE(next->coldStart);
  EXPECT_EQ(pool.stats().replacements, 2u);
  EXPECT_EQ(factory.alive, 0);
}

TEST(InstancePool, ATimeoutKillsTheInstance) {
  FakeFactory factory;
  factory.behaviours["f"] = Behaviour{0ms, true};
  auto options = fastOptions();
  options.initAllowance = 0ms;
  InstancePool pool({{"fake", &factory}}, options);
  auto hung = request("f");
  hung.spec.timeoutS = 1;
  auto result = pool.invoke(hung);
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->timedOut);
  EXPECT_EQ(result->result.outcome.kind, runtime::Outcome::Kind::abandoned);
  EXPECT_EQ(factory.alive, 0);
}

TEST(InstancePool, ANewConfigurationDrainsTheOldOne) {
  FakeFactory factory;
  factory.behaviours["f"] = Behaviour{200ms};
  InstancePool pool({{"fake", &factory}}, fastOptions());
  auto v1 = request("f", "v1");
  v1.generation = 1;
  ASSERT_TRUE(pool.invoke(v1));                      // one idle v1 instance
  auto busy = std::async(std::launch::async, [&] {   // and one busy v1 instance
    return pool.invoke(v1);
  });
  std::this_thread::sleep_for(20ms);
  auto second = std::async(std::launch::async, [&] { return pool.invoke(v1); });
  std::this_thread::sleep_for(20ms);
  auto v2 = request("f", "v2");
  v2.generation = 2;
  auto fresh = pool.invoke(v2);
  ASSERT_TRUE(fresh);
  EXPECT_TRUE(fresh->coldStart);
  EXPECT_TRUE(busy.get());  // in-flight v1 calls finish...
  EXPECT_TRUE(second.get());
  EXPECT_EQ(factory.alive, 1);  // ...and only the v2 instance stays
  auto stale = pool.invoke(v1);  // a late request of the old generation is still served
  ASSERT_TRUE(stale);
}

TEST(InstancePool, PrewarmedInstancesWaitReadyAndSurviveIdleExpiry) {
  FakeFactory factory;
  auto options = fastOptions();
  options.idleExpiry = 20ms;
  InstancePool pool({{"fake", &factory}}, options);
  auto configuration = request("f");
  pool.setPrewarm(configuration, 2);
  for (int i = 0; i < 100 && pool.stats().idle < 2; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(pool.stats().idle, 2u);
  std::this_thread::sleep_for(100ms);  // well past the idle expiry
  EXPECT_EQ(factory.alive, 2);
  auto first = pool.invoke(configuration);
  ASSERT_TRUE(first);
  EXPECT_FALSE(first->coldStart);
  pool.setPrewarm(configuration, 0);
  for (int i = 0; i < 100 && factory.alive > 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(factory.alive, 0);
}

TEST(InstancePool, ShutdownRefusesNewWork) {
  FakeFactory factory;
  InstancePool pool({{"fake", &factory}}, fastOptions());
  ASSERT_TRUE(pool.invoke(request("f")));
  pool.shutdown();
  EXPECT_EQ(factory.alive, 0);
  auto refused = pool.invoke(request("f"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::unavailable);
}

TEST(InstancePool, UnknownExecutorIsUnavailable) {
  FakeFactory factory;
  InstancePool pool({{"fake", &factory}}, fastOptions());
  auto r = request("f");
  r.executor = "nanos";
  auto refused = pool.invoke(r);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "executor_unavailable");
}

}  // namespace
}  // namespace stratus::exec
