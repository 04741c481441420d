// An instance: one isolated environment running one runtime bootstrap for one function
// version, driven through the Lambda Runtime API (DESIGN §5). Executors make them
// (InstanceFactory); the pool (exec/pool) reuses, limits and retires them. Tests plug in
// fakes through these two interfaces.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "common/error.h"
#include "runtime/invocation_channel.h"

namespace stratus::exec {

// What an instance runs: a function version, in one mode.
struct InstanceSpec {
  std::string functionId;
  std::string functionName;
  int version = 1;
  std::string runtime;  // python3.11 | nodejs20 | provided
  std::string mode;     // handler | script
  std::string handler;  // handler mode: module.function; script mode: the entry file
  std::filesystem::path codeDir;  // unpacked code on the host, shown read-only at /var/task
  std::map<std::string, std::string> env;  // the function's own variables
  int memoryMb = 128;
  int timeoutS = 3;
  // Held for as long as an instance of this spec lives: the code cache's lease on codeDir,
  // so a version in use is never evicted from under a warm instance.
  std::shared_ptr<const void> keepAlive;
};

struct InvocationResult {
  runtime::Outcome outcome;
  std::string logs;  // what the function wrote to stdout and stderr while it ran
  bool logsTruncated = false;
  int64_t memoryPeakBytes = 0;  // of the whole instance during this invocation; 0 unknown
  bool oomKilled = false;       // the instance ran out of memory during this invocation
};

class Instance {
 public:
  using Done = std::function<void(InvocationResult)>;
  virtual ~Instance() = default;  // stops the instance and everything in it

  // Hands one event to the runtime; `done` runs exactly once, on the executor's event
  // loop, when the runtime answers or the instance is killed. Errors as
  // runtime::InvocationChannel::submit (busy, broken, too large).
  virtual Status invoke(runtime::Event event, Done done) = 0;
  // Ends the instance now; an invocation in flight completes as abandoned with `reason`.
  virtual void kill(Error reason) = 0;
  // Whether it may take another event: still running, its runtime loop intact, nothing
  // left behind by the last invocation (a stray process is a reason to retire it).
  virtual bool reusable() = 0;
  // Blocks until the runtime inside is ready for its first event (or failed to start), at
  // most `limit`; false if it was not by then. A pre-warmed instance is offered only after
  // this, so a call that takes it does not wait for the runtime's own start-up.
  virtual bool waitUntilReady(std::chrono::milliseconds limit) {
    (void)limit;
    return true;
  }
  virtual int64_t memoryBytes() = 0;  // current use, for eviction decisions
  // When the runtime took the event in flight (asked for it with /next); unset before
  // that, or when nothing is in flight. The function's timeout runs from here.
  virtual std::optional<std::chrono::steady_clock::time_point> runningSince() = 0;
};

using InstancePtr = std::unique_ptr<Instance>;

class InstanceFactory {
 public:
  virtual ~InstanceFactory() = default;
  virtual std::string name() const = 0;  // the executor: sandbox | docker | nanos
  // Starts an instance of `spec` and returns once it is running. Its runtime initialises
  // afterwards; the first invocation waits for that (Outcome::deliveredAt marks the end).
  // `warmStart` tells whether a ready, pre-made environment was used.
  virtual Result<InstancePtr> start(const InstanceSpec& spec, bool* warmStart = nullptr) = 0;
  // Kills every instance (and ready environment) it made; later starts fail.
  virtual void shutdown() = 0;
};

}  // namespace stratus::exec
