// Runs functions on the execution engine (exec/pool) and records every invocation. Two
// shapes of call, one engine: script mode (the clone's routes: argv in, {status, stdout,
// stderr, timeout, durationMs} out) and handler mode (a JSON event in, the handler's JSON
// out, Lambda-style).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "api/invocation_recorder.h"
#include "api/invoke_metrics.h"
#include "blob/blob_store.h"
#include "blob/code_cache.h"
#include "exec/executor.h"
#include "exec/pool/instance_pool.h"
#include "store/metadata_store.h"

namespace stratus::api {

inline constexpr std::size_t kMaxArgs = 256;
inline constexpr std::size_t kLogExcerptBytes = 4096;

// What every invocation reports, whichever shape.
struct InvocationFacts {
  bool coldStart = false;
  double durationMs = 0;      // the function's own run
  double initDurationMs = 0;  // cold start only
  int64_t billedMs = 0;       // durationMs rounded up to the millisecond
  std::string logs;           // handler mode: what it printed
};

struct InvokeOutcome {
  store::Invocation record;
  exec::ScriptResult result;
  InvocationFacts facts;
};

struct HandlerOutcome {
  store::Invocation record;
  InvocationFacts facts;
  std::string body;           // the handler's JSON, or the error object
  std::string functionError;  // empty on success; "Unhandled" when it failed
};

class InvokeService {
 public:
  // `executors` names the executors this server has ("sandbox", later "docker" and
  // "nanos"); the pool must have a factory for each.
  InvokeService(store::MetadataStore& store, blob::BlobStore& blobs, blob::CodeCache& cache,
                exec::InstancePool& pool, std::vector<std::string> executors,
                InvokeMetrics* metrics = nullptr);

  Result<InvokeOutcome> runScript(const store::Function& function, const std::string& executor,
                                  std::vector<std::string> args);
  // `event` must be JSON (the route checks it).
  Result<HandlerOutcome> invokeHandler(const store::Function& function, std::string event);

  // Keeps the function's configured number of instances warm (or none), and drains the
  // instances of its earlier configurations; called when a function is created, changed or
  // loaded at start-up.
  void configurePrewarm(const store::Function& function);
  // At start-up: every function that asks for pre-warmed instances.
  void prewarmAll();
  // Unpacks the function's current code into this node's code cache now, at deploy, so
  // its first call does not (it was most of a cold start's time outside the instance).
  // Best effort: a failure here is only logged; the first call then tries again.
  void warmCode(const store::Function& function);
  // The function is gone: its instances go too.
  void forget(const std::string& functionId);
  // Returns once the records of every call answered so far are in the store.
  void flushRecords() { recorder_.flush(); }
  // The executors this server has, in the order they were found: the same list that
  // decides whether a call answers 501 executor_unavailable.
  const std::vector<std::string>& executors() const { return executors_; }
  // A lease on `version`'s unpacked code in this node's code cache (fetched and unpacked
  // first if need be), for reading it: the code viewer shows exactly what instances run.
  Result<blob::CodeLease> leaseCode(const store::FunctionVersion& version);

 private:
  Result<exec::PoolRequest> prepare(const store::Function& function, const std::string& executor,
                                    const std::string& mode);
  Result<exec::PoolResult> run(exec::PoolRequest& request, store::Invocation& record,
                               const store::Function& function, const std::string& executor,
                               std::string payload);
  // Stores the record, counts it and logs it.
  void finish(const store::Invocation& record, const store::Function& function,
              const std::string& mode, const exec::PoolResult& pooled);
  Result<store::FunctionVersion> version(const store::Function& function);

  store::MetadataStore& store_;
  blob::BlobStore& blobs_;
  blob::CodeCache& cache_;
  exec::InstancePool& pool_;
  std::vector<std::string> executors_;
  InvokeMetrics* metrics_;
  // Versions never change once written, so a lookup is cached; so is the lease on each
  // version's unpacked code while any instance holds it.
  std::mutex mutex_;
  std::map<std::string, store::FunctionVersion> versions_;
  std::map<std::string, std::weak_ptr<const blob::CodeLease>> leases_;
  InvocationRecorder recorder_;
};

}  // namespace stratus::api
