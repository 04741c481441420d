// The instance pool (DESIGN §5): warm instances per function configuration, reused while
// they are healthy and retired when they are not, when they idle too long, when memory is
// needed for someone else, or when the function changes (the old version drains).
//
// Limits, in order: a function's reserved concurrency; the global memory budget (the sum
// of the memory of every live instance). A request that finds neither an idle instance
// nor room for a new one waits in a short bounded queue, then gets rate_limited (429).
// Executor-neutral: it sees only exec/instance.h, so tests drive it with fakes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "exec/instance.h"

namespace stratus::exec {

struct PoolOptions {
  int64_t memoryBudgetMb = 0;  // 0: three quarters of the host's memory
  std::size_t queueCapacity = 64;  // requests waiting for capacity, all functions together
  std::chrono::milliseconds queueWait{1000};  // the longest a request waits before 429
  std::chrono::milliseconds idleExpiry{std::chrono::minutes(5)};
  // Extra time a cold start may take, beyond the function's timeout, to initialise.
  std::chrono::milliseconds initAllowance{std::chrono::seconds(10)};
  std::chrono::milliseconds maintenanceInterval{std::chrono::seconds(1)};
};

// One invocation, described by what the pool needs to place it.
struct PoolRequest {
  std::string executor;   // the InstanceFactory to use
  InstanceSpec spec;
  // Identifies the configuration `spec` came from (version, settings): instances of any
  // other key of the same function are drained. `generation` orders keys (newer wins).
  std::string configKey;
  int64_t generation = 0;
  std::optional<int> reservedConcurrency;
  runtime::Event event;
};

struct PoolResult {
  InvocationResult result;
  bool coldStart = false;      // a new instance was started for this invocation
  bool readySandbox = false;   // ... from a ready, pre-made environment
  double initDurationMs = 0;   // cold start: instance start until the runtime took the event
  double durationMs = 0;       // the runtime took the event until it answered
  bool timedOut = false;       // the pool killed the instance at the deadline
};

struct PoolStats {
  std::size_t idle = 0, busy = 0, starting = 0, queued = 0;
  int64_t memoryReservedMb = 0, memoryBudgetMb = 0;
  uint64_t evictions = 0, expirations = 0, replacements = 0;
};

class InstancePool {
 public:
  InstancePool(std::map<std::string, InstanceFactory*> factories, PoolOptions options = {});
  ~InstancePool();
  InstancePool(const InstancePool&) = delete;
  InstancePool& operator=(const InstancePool&) = delete;

  // Runs one event and blocks until it is answered, fails or times out. Errors are the
  // platform's: rate_limited (throttled), unavailable (no such executor, start failure,
  // shutting down). Whatever the function does is in the result.
  Result<PoolResult> invoke(PoolRequest request);

  // Keeps `count` instances of this configuration started ahead of demand (0 stops).
  // Only the function's newest configuration is kept warm.
  void setPrewarm(const PoolRequest& configuration, int count);

  // Retires every instance of a function (deleted, or made unusable).
  void forget(const std::string& functionId);

  PoolStats stats() const;
  // Kills every instance and refuses further requests. Idempotent.
  void shutdown();

 private:
  struct Slot;
  struct FunctionState;
  using Clock = std::chrono::steady_clock;
  using SlotPtr = std::shared_ptr<Slot>;
  // An instance on its way out, destroyed outside the lock, before its code lease.
  struct Retired {
    std::shared_ptr<const void> keepAlive;
    InstancePtr instance;
  };
  struct Acquired {
    SlotPtr slot;   // set: a warm instance, already marked busy
    bool start = false;  // set: room reserved for a new instance
  };

  Result<Acquired> acquire(const PoolRequest& request, std::vector<Retired>& doomed);
  static SlotPtr makeSlot(const PoolRequest& request, InstancePtr instance);
  static Result<InstancePtr> startInstance(InstanceFactory& maker, const InstanceSpec& spec,
                                           bool* ready);
  void release(const SlotPtr& slot, bool keep);
  void dropReservation(const PoolRequest& request);
  // Under the lock: moves idle instances out (least recently used first) until `needMb`
  // fits in the budget; false if it cannot.
  bool makeRoom(int64_t needMb, std::vector<Retired>& doomed);
  void removeSlot(const SlotPtr& slot, std::vector<Retired>& doomed);
  void retireOthers(FunctionState& function, const std::string& functionId,
                    const std::string& key, std::vector<Retired>& doomed);
  void maintain();
  void maintenanceLoop();
  InstanceFactory* factory(const std::string& executor) const;

  std::map<std::string, InstanceFactory*> factories_;
  PoolOptions options_;
  int64_t budgetMb_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::list<SlotPtr> slots_;  // most recently used at the front
  std::map<std::string, FunctionState> functions_;
  int64_t reservedMb_ = 0;
  std::size_t starting_ = 0, queued_ = 0;
  uint64_t evictions_ = 0, expirations_ = 0, replacements_ = 0;
  bool stopping_ = false;
  std::condition_variable maintenanceWake_;
  std::thread maintenance_;
};

}  // namespace stratus::exec
