#include "exec/pool/instance_pool.h"

#include <unistd.h>

#include <algorithm>
#include <future>

#include "common/log.h"

namespace stratus::exec {

struct InstancePool::Slot {
  std::shared_ptr<const void> keepAlive;  // declared first: released after the instance
  InstancePtr instance;
  std::string functionId, key, executor;
  int memoryMb = 0;
  Clock::time_point lastUsed = Clock::now();
  bool busy = false;
  bool retire = false;  // drained: finish the invocation in flight, then go
};

struct InstancePool::FunctionState {
  std::string currentKey;
  int64_t generation = 0;
  int active = 0;  // busy plus starting
  std::optional<PoolRequest> prewarm;
  int prewarmCount = 0;
  int prewarmStarting = 0;
};

namespace {

int64_t hostMemoryMb() {
  long pages = ::sysconf(_SC_PHYS_PAGES), size = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || size <= 0) return 4096;
  return static_cast<int64_t>(pages) * size / (1 << 20);
}

double millisBetween(std::chrono::steady_clock::time_point from,
                     std::chrono::steady_clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

std::unexpected<Error> throttled(std::string code, std::string message) {
  return std::unexpected(Error{ErrorKind::rate_limited, std::move(code), std::move(message), {}});
}

}  // namespace

InstancePool::InstancePool(std::map<std::string, InstanceFactory*> factories, PoolOptions options)
    : factories_(std::move(factories)),
      options_(options),
      budgetMb_(options.memoryBudgetMb > 0 ? options.memoryBudgetMb : hostMemoryMb() * 3 / 4) {
  maintenance_ = std::thread([this] { maintenanceLoop(); });
}

InstancePool::~InstancePool() { shutdown(); }

InstancePool::SlotPtr InstancePool::makeSlot(const PoolRequest& request, InstancePtr instance) {
  auto slot = std::make_shared<Slot>();
  slot->keepAlive = request.spec.keepAlive;
  slot->instance = std::move(instance);
  slot->functionId = request.spec.functionId;
  slot->key = request.configKey;
  slot->executor = request.executor;
  slot->memoryMb = request.spec.memoryMb;
  return slot;
}

InstanceFactory* InstancePool::factory(const std::string& executor) const {
  auto found = factories_.find(executor);
  return found == factories_.end() ? nullptr : found->second;
}

void InstancePool::removeSlot(const SlotPtr& slot, std::vector<Retired>& doomed) {
  auto found = std::find(slots_.begin(), slots_.end(), slot);
  if (found == slots_.end()) return;
  reservedMb_ -= slot->memoryMb;
  if (slot->instance) doomed.push_back(Retired{slot->keepAlive, std::move(slot->instance)});
  slots_.erase(found);
}

void InstancePool::retireOthers(FunctionState& function, const std::string& functionId,
                                const std::string& key, std::vector<Retired>& doomed) {
  function.currentKey = key;
  std::vector<SlotPtr> idle;
  for (auto& slot : slots_) {
    if (slot->functionId != functionId || slot->key == key) continue;
    if (slot->busy) slot->retire = true;
    else idle.push_back(slot);
  }
  for (auto& slot : idle) removeSlot(slot, doomed);
  if (!idle.empty()) changed_.notify_all();
}

bool InstancePool::makeRoom(int64_t needMb, std::vector<Retired>& doomed) {
  while (reservedMb_ + needMb > budgetMb_) {
    // Least recently used idle instance: the back of the list holds the oldest.
    auto victim = std::find_if(slots_.rbegin(), slots_.rend(),
                               [](const SlotPtr& slot) { return !slot->busy; });
    if (victim == slots_.rend()) return false;
    SlotPtr slot = *victim;
    removeSlot(slot, doomed);
    ++evictions_;
  }
  return true;
}

Result<InstancePool::Acquired> InstancePool::acquire(const PoolRequest& request,
                                                     std::vector<Retired>& doomed) {
  auto deadline = Clock::now() + options_.queueWait;
  const std::string& functionId = request.spec.functionId;
  bool queued = false;
  bool timedOutOnce = false;  // after the deadline, one last look before refusing
  std::unique_lock lock(mutex_);
  auto leaveQueue = [&] {
    if (queued) --queued_;
    queued = false;
  };
  for (;;) {
    if (stopping_) {
      leaveQueue();
      return fail(ErrorKind::unavailable, "shutting_down", "the server is stopping");
    }
    FunctionState& function = functions_[functionId];
    if (request.generation > function.generation ||
        (function.currentKey.empty() && request.generation >= function.generation)) {
      function.generation = request.generation;
      if (function.currentKey != request.configKey)
        retireOthers(function, functionId, request.configKey, doomed);
    }
    // A warm instance of exactly this configuration.
    for (auto it = slots_.begin(); it != slots_.end(); ++it) {
      SlotPtr slot = *it;
      if (slot->busy || slot->retire || slot->functionId != functionId ||
          slot->key != request.configKey || slot->executor != request.executor)
        continue;
      slot->busy = true;
      ++function.active;
      slots_.splice(slots_.begin(), slots_, it);  // most recently used first
      leaveQueue();
      return Acquired{slot, false};
    }
    bool underReserved = !request.reservedConcurrency ||
                         function.active < *request.reservedConcurrency;
    if (underReserved && makeRoom(request.spec.memoryMb, doomed)) {
      reservedMb_ += request.spec.memoryMb;
      ++function.active;
      ++starting_;
      leaveQueue();
      return Acquired{nullptr, true};
    }
    if (!queued) {
      if (queued_ >= options_.queueCapacity)
        return throttled("too_many_requests",
                         "the server is at capacity and its queue is full; try again shortly");
      ++queued_;
      queued = true;
    }
    if (Clock::now() >= deadline) timedOutOnce = true;
    // Instances being destroyed free their memory only once gone: do it while waiting.
    if (!doomed.empty()) {
      lock.unlock();
      doomed.clear();
      lock.lock();
      continue;
    }
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout && timedOutOnce) {
      leaveQueue();
      if (!underReserved)
        return throttled("concurrency_limit",
                         "the function is at its reserved concurrency of " +
                             std::to_string(*request.reservedConcurrency) + "; try again shortly");
      return throttled("capacity_exhausted",
                       "every instance the server has memory for is busy; try again shortly");
    }
  }
}

void InstancePool::dropReservation(const PoolRequest& request) {
  std::lock_guard lock(mutex_);
  reservedMb_ -= request.spec.memoryMb;
  --starting_;
  --functions_[request.spec.functionId].active;
  changed_.notify_all();
}

void InstancePool::release(const SlotPtr& slot, bool keep) {
  std::vector<Retired> doomed;
  {
    std::lock_guard lock(mutex_);
    slot->busy = false;
    slot->lastUsed = Clock::now();
    FunctionState& function = functions_[slot->functionId];
    --function.active;
    if (!keep) ++replacements_;
    if (!keep || slot->retire || stopping_ || slot->key != function.currentKey)
      removeSlot(slot, doomed);
    changed_.notify_all();
  }
  if (!keep) maintenanceWake_.notify_one();  // a prewarmed function gets its instance back
}

Result<InstancePtr> InstancePool::startInstance(InstanceFactory& maker, const InstanceSpec& spec,
                                                bool* ready) {
  // A thread or descriptor the kernel refuses surfaces as an exception from the standard
  // library; here it is one more way a start can fail, not the end of the process.
  try {
    return maker.start(spec, ready);
  } catch (const std::exception& e) {
    return fail(ErrorKind::unavailable, "instance_start_failed",
                std::string("could not start an instance: ") + e.what());
  }
}

Result<PoolResult> InstancePool::invoke(PoolRequest request) {
  InstanceFactory* maker = factory(request.executor);
  if (!maker)
    return fail(ErrorKind::unavailable, "executor_unavailable",
                "the " + request.executor + " executor is not available on this server");
  // A warm instance may have died while idle; its caller then gets a fresh one instead.
  for (int attempt = 0;; ++attempt) {
    std::vector<Retired> doomed;
    auto acquired = acquire(request, doomed);
    doomed.clear();  // destroyed outside the lock: stopping an instance takes a moment
    if (!acquired) return std::unexpected(acquired.error());

    PoolResult result;
    SlotPtr slot = acquired->slot;
    auto started = Clock::now();
    if (acquired->start) {
      bool ready = false;
      auto instance = startInstance(*maker, request.spec, &ready);
      if (!instance) {
        dropReservation(request);
        return propagate(instance.error(), "start an instance");
      }
      slot = makeSlot(request, std::move(*instance));
      slot->busy = true;
      bool stopping = false;
      {
        std::lock_guard lock(mutex_);
        --starting_;
        slots_.push_front(slot);
        stopping = stopping_;
      }
      if (stopping) {  // shutdown began while it started: it must not run now
        release(slot, false);
        return fail(ErrorKind::unavailable, "shutting_down", "the server is stopping");
      }
      result.coldStart = true;
      result.readySandbox = ready;
    }

    std::promise<InvocationResult> answered;
    auto future = answered.get_future();
    auto submitted = Clock::now();
    Status sent = slot->instance->invoke(
        request.event, [&answered](InvocationResult r) { answered.set_value(std::move(r)); });
    if (!sent) {
      release(slot, false);
      if (!acquired->start && attempt == 0 && sent.error().kind == ErrorKind::unavailable) continue;
      return propagate(sent.error(), "hand the event to the instance");
    }
    // The function's timeout runs from the moment its runtime takes the event; before
    // that, a cold start may also spend initAllowance initialising.
    auto timeout = std::chrono::seconds(request.spec.timeoutS);
    for (;;) {
      auto since = slot->instance->runningSince();
      auto deadline = since ? *since + timeout
                            : submitted + timeout +
                                  (result.coldStart ? options_.initAllowance
                                                    : std::chrono::milliseconds(0));
      if (future.wait_until(deadline) == std::future_status::ready) break;
      if (!since && slot->instance->runningSince()) continue;  // taken meanwhile: its own clock
      result.timedOut = true;
      slot->instance->kill(Error{ErrorKind::unavailable, "timeout",
                                 "timed out after " + std::to_string(request.spec.timeoutS) + " s",
                                 {}});
      break;
    }
    result.result = future.get();
    auto finished = Clock::now();
    const auto& outcome = result.result.outcome;
    // An answer that raced the kill is still an answer.
    if (result.timedOut && outcome.kind != runtime::Outcome::Kind::abandoned) result.timedOut = false;
    bool delivered = outcome.deliveredAt != Clock::time_point{};
    if (delivered) {
      if (result.coldStart) result.initDurationMs = millisBetween(started, outcome.deliveredAt);
      result.durationMs = millisBetween(outcome.deliveredAt, finished);
    } else {
      result.durationMs = millisBetween(submitted, finished);
    }
    bool keep = !result.timedOut && outcome.kind != runtime::Outcome::Kind::abandoned &&
                outcome.kind != runtime::Outcome::Kind::init_error && slot->instance->reusable();
    release(slot, keep);
    return result;
  }
}

void InstancePool::setPrewarm(const PoolRequest& configuration, int count) {
  std::vector<Retired> doomed;
  {
    std::lock_guard lock(mutex_);
    FunctionState& function = functions_[configuration.spec.functionId];
    if (configuration.generation >= function.generation) {
      function.generation = configuration.generation;
      if (function.currentKey != configuration.configKey)
        retireOthers(function, configuration.spec.functionId, configuration.configKey, doomed);
    }
    function.prewarm = configuration;
    function.prewarmCount = std::max(0, count);
  }
  maintenanceWake_.notify_one();
}

void InstancePool::forget(const std::string& functionId) {
  std::vector<Retired> doomed;
  std::lock_guard lock(mutex_);
  auto found = functions_.find(functionId);
  if (found == functions_.end()) return;
  found->second.prewarm.reset();
  found->second.prewarmCount = 0;
  // A key nothing will ever ask for: idle instances go now, busy ones when they finish.
  retireOthers(found->second, functionId, "\x01forgotten", doomed);
  changed_.notify_all();
}

PoolStats InstancePool::stats() const {
  std::lock_guard lock(mutex_);
  PoolStats stats;
  for (const auto& slot : slots_) (slot->busy ? stats.busy : stats.idle)++;
  stats.starting = starting_;
  stats.queued = queued_;
  stats.memoryReservedMb = reservedMb_;
  stats.memoryBudgetMb = budgetMb_;
  stats.evictions = evictions_;
  stats.expirations = expirations_;
  stats.replacements = replacements_;
  return stats;
}

void InstancePool::maintain() {
  std::vector<Retired> doomed;
  std::vector<PoolRequest> toStart;
  {
    std::lock_guard lock(mutex_);
    auto now = Clock::now();
    // Idle expiry, sparing the instances a function asked to keep warm.
    std::map<std::string, int> spared;
    std::vector<SlotPtr> expired;
    for (const auto& slot : slots_) {  // most recently used first: those are spared
      if (slot->busy) continue;
      auto function = functions_.find(slot->functionId);
      if (function != functions_.end() && slot->key == function->second.currentKey &&
          spared[slot->functionId] < function->second.prewarmCount) {
        ++spared[slot->functionId];
        continue;
      }
      if (now - slot->lastUsed >= options_.idleExpiry) expired.push_back(slot);
    }
    for (auto& slot : expired) {
      removeSlot(slot, doomed);
      ++expirations_;
    }
    // Pre-warming: top each function up to its count, memory permitting.
    for (auto& [functionId, function] : functions_) {
      if (!function.prewarm || function.prewarmCount == 0 || stopping_) continue;
      if (function.prewarm->configKey != function.currentKey) continue;
      int have = function.prewarmStarting;
      for (const auto& slot : slots_)
        if (slot->functionId == functionId && slot->key == function.currentKey && !slot->retire)
          ++have;
      for (; have < function.prewarmCount; ++have) {
        if (!makeRoom(function.prewarm->spec.memoryMb, doomed)) break;
        reservedMb_ += function.prewarm->spec.memoryMb;
        ++function.prewarmStarting;
        ++starting_;
        toStart.push_back(*function.prewarm);
      }
    }
    if (!expired.empty()) changed_.notify_all();
  }
  doomed.clear();
  for (auto& request : toStart) {
    InstanceFactory* maker = factory(request.executor);
    auto instance = maker ? startInstance(*maker, request.spec, nullptr)
                          : Result<InstancePtr>(fail(ErrorKind::unavailable, "executor_unavailable",
                                                     "no executor " + request.executor));
    // Counted as starting until its runtime is ready: a call that takes an idle pre-warmed
    // instance must not wait for the runtime's own start-up (a slow one is offered anyway
    // after the init allowance; its first call then waits, as on a cold start).
    if (instance) (void)(*instance)->waitUntilReady(options_.initAllowance);
    std::lock_guard lock(mutex_);
    FunctionState& function = functions_[request.spec.functionId];
    --function.prewarmStarting;
    --starting_;
    changed_.notify_all();  // memory freed or an instance added: waiters look again
    if (!instance || stopping_ || request.configKey != function.currentKey) {
      reservedMb_ -= request.spec.memoryMb;
      if (!instance)
        log::warn("could not pre-warm an instance", {{"function_id", request.spec.functionId},
                                                     {"error", instance.error().describe()}});
      else doomed.push_back(Retired{request.spec.keepAlive, std::move(*instance)});
      continue;
    }
    slots_.push_back(makeSlot(request, std::move(*instance)));
    changed_.notify_all();
  }
}

void InstancePool::maintenanceLoop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    maintenanceWake_.wait_for(lock, options_.maintenanceInterval);
    if (stopping_) break;
    lock.unlock();
    maintain();
    lock.lock();
  }
}

void InstancePool::shutdown() {
  std::vector<Retired> doomed;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !maintenance_.joinable()) return;
    stopping_ = true;
    std::vector<SlotPtr> idle;
    for (auto& slot : slots_) {
      if (slot->busy) slot->instance->kill(Error{ErrorKind::unavailable, "shutting_down",
                                                 "the server is stopping", {}});
      else idle.push_back(slot);
    }
    for (auto& slot : idle) removeSlot(slot, doomed);
    changed_.notify_all();
  }
  maintenanceWake_.notify_all();
  if (maintenance_.joinable()) maintenance_.join();
  doomed.clear();
}

}  // namespace stratus::exec
