#include "api/invoke_service.h"

#include <boost/json.hpp>
#include <cmath>

#include "api/function_spec.h"
#include "common/clock.h"
#include "common/crypto.h"
#include "common/log.h"
#include "common/utf8.h"
#include "runtime/runtime_api.h"

namespace stratus::api {
namespace {
namespace json = boost::json;
using Kind = runtime::Outcome::Kind;

// Instances serve exactly one configuration: any change to the function (a new version,
// new settings) makes a new key, and the pool drains the old one.
std::string configKey(const store::Function& f, const std::string& executor,
                      const std::string& mode) {
  return std::to_string(f.currentVersion) + "|" + mode + "|" + executor + "|" +
         std::to_string(f.updatedAt);
}

std::string errorObject(const std::string& type, const std::string& message) {
  return json::serialize(json::object{{"errorType", type}, {"errorMessage", message}});
}

// The message inside a runtime's error object, or the whole body if it is not one.
std::string errorMessageOf(const std::string& body) {
  boost::system::error_code ec;
  auto value = json::parse(body, ec);
  if (!ec && value.is_object())
    if (auto* message = value.as_object().if_contains("errorMessage"); message && message->is_string())
      return std::string(message->as_string());
  return body;
}

std::string excerpt(std::string text) {
  if (text.size() > kLogExcerptBytes) text.resize(kLogExcerptBytes);
  return toValidUtf8(text);
}

InvocationFacts factsOf(const exec::PoolResult& result) {
  InvocationFacts facts;
  facts.coldStart = result.coldStart;
  facts.durationMs = result.durationMs;
  facts.initDurationMs = result.initDurationMs;
  facts.billedMs = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(result.durationMs)));
  facts.logs = result.result.logs;
  return facts;
}

// Script mode's answer, from what the bootstrap said or what the pool saw.
exec::ScriptResult scriptResultOf(const exec::PoolResult& pooled, int timeoutS, int memoryMb) {
  exec::ScriptResult result;
  const auto& outcome = pooled.result.outcome;
  result.durationMs = static_cast<int64_t>(std::llround(pooled.durationMs));
  result.memoryPeakBytes = pooled.result.memoryPeakBytes;
  auto killed = [&](std::string why) {
    result.signal = 9;
    result.exitCode = 128 + 9;
    result.error = std::move(why);
  };
  if (pooled.timedOut) {
    result.timedOut = true;
    killed("timed out after " + std::to_string(timeoutS) + " s");
  } else if (outcome.kind == Kind::response) {
    boost::system::error_code ec;
    auto value = json::parse(outcome.body, ec);
    if (ec || !value.is_object()) {
      killed("the runtime gave an answer that is not a script result");
    } else {
      auto& body = value.as_object();
      auto text = [&](const char* key) {
        auto* v = body.if_contains(key);
        return v && v->is_string() ? std::string(v->as_string()) : std::string();
      };
      auto* status = body.if_contains("status");
      result.exitCode = status && status->is_int64() ? static_cast<int>(status->as_int64()) : 1;
      if (result.exitCode > 128) result.signal = result.exitCode - 128;
      result.stdoutData = text("stdout");
      result.stderrData = text("stderr");
      auto* timeout = body.if_contains("timeout");
      result.timedOut = timeout && timeout->is_bool() && timeout->as_bool();
      if (result.timedOut) result.error = "timed out after " + std::to_string(timeoutS) + " s";
      if (auto* d = body.if_contains("durationMs"); d && d->is_int64()) result.durationMs = d->as_int64();
      auto flag = [&](const char* key) {
        auto* v = body.if_contains(key);
        return v && v->is_bool() && v->as_bool();
      };
      result.stdoutTruncated = flag("stdoutTruncated");
      result.stderrTruncated = flag("stderrTruncated");
      if (result.error.empty() && (result.stdoutTruncated || result.stderrTruncated))
        result.error = "output beyond 1024 KB per stream was discarded";
    }
  } else if (outcome.kind == Kind::abandoned) {
    killed(outcome.reason.message);
  } else {  // the entry file could not be loaded, or the runner failed
    result.exitCode = 1;
    result.stderrData = errorMessageOf(outcome.body) + "\n";
    result.error = "the function could not be started";
  }
  if (pooled.result.oomKilled) {
    result.oomKilled = true;
    if (result.signal == 0) result.signal = 9;
    result.exitCode = 128 + 9;
    result.error = "memory limit of " + std::to_string(memoryMb) + " MB exceeded";
  }
  return result;
}

std::string statusOf(const exec::ScriptResult& result) {
  if (result.timedOut) return "timeout";
  if (result.oomKilled || result.signal != 0) return "killed";
  return result.exitCode == 0 ? "ok" : "error";
}

}  // namespace

InvokeService::InvokeService(store::MetadataStore& store, blob::BlobStore& blobs,
                             blob::CodeCache& cache, exec::InstancePool& pool,
                             std::vector<std::string> executors, InvokeMetrics* metrics)
    : store_(store),
      blobs_(blobs),
      cache_(cache),
      pool_(pool),
      executors_(std::move(executors)),
      metrics_(metrics),
      recorder_(store) {}

void InvokeService::finish(const store::Invocation& record, const store::Function& function,
                           const std::string& mode, const exec::PoolResult& pooled) {
  recorder_.record(record);
  if (metrics_)
    metrics_->record(function.runtime, record.executor, mode, record.status, pooled.coldStart,
                     pooled.readySandbox, pooled.durationMs, pooled.initDurationMs);
  // Debug, not info: the record and the metrics already hold every call, and a line per
  // call was a few percent of a warm invocation's host CPU (--log-level debug shows them).
  log::debug("invocation", {{"invocation_id", record.id},
                           {"function_id", function.id},
                           {"status", record.status},
                           {"cold_start", record.coldStart},
                           {"duration_ms", record.durationMs}});
}

Result<store::FunctionVersion> InvokeService::version(const store::Function& function) {
  std::string key = function.id + ":" + std::to_string(function.currentVersion);
  {
    std::lock_guard lock(mutex_);
    if (auto found = versions_.find(key); found != versions_.end()) return found->second;
  }
  auto loaded = store_.functionVersion(function.id, function.currentVersion);
  if (!loaded) return propagate(loaded.error(), "load function version");
  std::lock_guard lock(mutex_);
  if (versions_.size() >= 4096) versions_.clear();  // a bound, not a policy: reloads are cheap
  versions_[key] = *loaded;
  return *loaded;
}

Result<exec::PoolRequest> InvokeService::prepare(const store::Function& function,
                                                 const std::string& executor,
                                                 const std::string& mode) {
  if (std::find(executors_.begin(), executors_.end(), executor) == executors_.end())
  {
    std::string available;
    for (const auto& name : executors_) available += (available.empty() ? "" : ", ") + name;
    return fail(ErrorKind::not_implemented, "executor_unavailable",
                "the " + executor + " executor is not available on this server (its log "
                "says why); available: " + (available.empty() ? "none" : available));
  }
  auto found = version(function);
  if (!found) return std::unexpected(found.error());

  std::shared_ptr<const blob::CodeLease> lease;
  {
    std::lock_guard lock(mutex_);
    lease = leases_[found->codeSha256].lock();
  }
  if (!lease) {
    auto made = cache_.materialise(blobs_, found->blobKey, found->codeSha256);
    if (!made) return propagate(made.error(), "prepare code");
    lease = std::make_shared<const blob::CodeLease>(std::move(*made));
    std::lock_guard lock(mutex_);
    std::erase_if(leases_, [](const auto& entry) { return entry.second.expired(); });
    leases_[found->codeSha256] = lease;
  }

  exec::PoolRequest request;
  request.executor = executor;
  request.spec.functionId = function.id;
  request.spec.functionName = function.name;
  request.spec.version = found->version;
  request.spec.runtime = function.runtime;
  request.spec.mode = mode;
  request.spec.handler = mode == "script" ? entryFileFor(function.handler, function.runtime)
                                          : function.handler;
  request.spec.codeDir = lease->path();
  request.spec.env = function.env;
  request.spec.memoryMb = function.memoryMb;
  request.spec.timeoutS = function.timeoutS;
  request.spec.keepAlive = lease;
  request.configKey = configKey(function, executor, mode);
  request.generation = function.updatedAt;
  request.reservedConcurrency = function.concurrencyLimit;
  return request;
}

Result<exec::PoolResult> InvokeService::run(exec::PoolRequest& request, store::Invocation& record,
                                            const store::Function& function,
                                            const std::string& executor, std::string payload) {
  record.id = newId();
  record.functionId = function.id;
  record.version = request.spec.version;
  record.executor = executor;
  record.startedAt = nowMs();
  request.event.payload = std::move(payload);
  request.event.context.requestId = record.id;
  request.event.context.deadlineMs = record.startedAt + int64_t{function.timeoutS} * 1000;
  request.event.timeoutMs = int64_t{function.timeoutS} * 1000;  // restamped at delivery
  request.event.context.functionArn =
      runtime::functionArn("local", function.userId, function.name, std::to_string(record.version));
  // Reserved concurrency 0 is Lambda's way to stop a function: refused at once rather than
  // after the pool's queue wait.
  if (request.reservedConcurrency == 0) {
    if (metrics_) metrics_->throttled(executor, "reserved_concurrency_zero");
    return fail(ErrorKind::rate_limited, "reserved_concurrency_zero",
                "the function's reserved concurrency is 0, so every call is throttled");
  }
  auto result = pool_.invoke(request);
  if (!result) {
    if (result.error().kind == ErrorKind::rate_limited) {  // a throttle runs nothing
      if (metrics_) metrics_->throttled(executor, result.error().code);
      return result;
    }
    if (metrics_) metrics_->platformError(executor);
    record.status = "error";
    record.durationMs = nowMs() - record.startedAt;
    record.error = "the platform could not run the function";
    recorder_.record(record);
    log::error("invocation failed", {{"invocation_id", record.id},
                                     {"function_id", function.id},
                                     {"error", result.error().describe()}});
    return result;
  }
  record.coldStart = result->coldStart;
  record.initDurationMs = static_cast<int64_t>(std::llround(result->initDurationMs));
  record.memoryUsed = result->result.memoryPeakBytes;
  record.durationMs = static_cast<int64_t>(std::llround(result->durationMs));
  return result;
}

Result<InvokeOutcome> InvokeService::runScript(const store::Function& function,
                                               const std::string& executor,
                                               std::vector<std::string> args) {
  if (args.size() > kMaxArgs)
    return invalid("too_many_args", "at most " + std::to_string(kMaxArgs) + " arguments");
  auto request = prepare(function, executor, "script");
  if (!request) return std::unexpected(request.error());
  json::array list;
  for (auto& arg : args) list.emplace_back(toValidUtf8(arg));

  InvokeOutcome outcome;
  store::Invocation& record = outcome.record;
  auto pooled = run(*request, record, function, executor,
                    json::serialize(json::object{{"args", std::move(list)}}));
  if (!pooled) return std::unexpected(pooled.error());
  outcome.facts = factsOf(*pooled);
  outcome.result = scriptResultOf(*pooled, function.timeoutS, function.memoryMb);
  record.status = statusOf(outcome.result);
  record.exitCode = outcome.result.exitCode;
  record.timedOut = outcome.result.timedOut;
  record.error = outcome.result.error;
  std::string text = outcome.result.stdoutData;
  if (!outcome.result.stderrData.empty()) {
    if (!text.empty() && text.back() != '\n') text.push_back('\n');
    text += outcome.result.stderrData;
  }
  record.logExcerpt = excerpt(std::move(text));
  finish(record, function, "script", *pooled);
  return outcome;
}

Result<HandlerOutcome> InvokeService::invokeHandler(const store::Function& function,
                                                    std::string event) {
  auto request = prepare(function, function.executor, "handler");
  if (!request) return std::unexpected(request.error());
  HandlerOutcome outcome;
  store::Invocation& record = outcome.record;
  auto pooled = run(*request, record, function, function.executor, std::move(event));
  if (!pooled) return std::unexpected(pooled.error());
  outcome.facts = factsOf(*pooled);
  const auto& result = pooled->result;
  const auto& answer = result.outcome;
  record.status = "ok";
  if (pooled->timedOut) {
    record.status = "timeout";
    record.timedOut = true;
    record.error = "timed out after " + std::to_string(function.timeoutS) + " s";
    outcome.body = errorObject("Sandbox.Timedout", "Task timed out after " +
                                                       std::to_string(function.timeoutS) + " s");
  } else if (result.oomKilled) {
    record.status = "killed";
    record.error = "memory limit of " + std::to_string(function.memoryMb) + " MB exceeded";
    outcome.body = errorObject("Runtime.OutOfMemory", record.error);
  } else if (answer.kind == Kind::abandoned) {
    record.status = "killed";
    record.error = answer.reason.message;
    outcome.body = errorObject("Runtime.ExitError", answer.reason.message);
  } else if (answer.kind == Kind::response) {
    outcome.body = answer.body.empty() ? "null" : answer.body;
  } else {  // function_error, init_error: the runtime's own error object
    record.status = "error";
    record.error = answer.errorType.empty() ? "the function raised an error" : answer.errorType;
    outcome.body = answer.body;
  }
  if (record.status != "ok") outcome.functionError = "Unhandled";
  record.exitCode = record.status == "ok" ? 0 : 1;
  record.logExcerpt = excerpt(result.logs);
  finish(record, function, "handler", *pooled);
  return outcome;
}

void InvokeService::prewarmAll() {
  auto functions = store_.functionsToPrewarm();
  if (!functions) {
    log::warn("could not list the functions to pre-warm", {{"error", functions.error().describe()}});
    return;
  }
  for (const auto& function : *functions) configurePrewarm(function);
}

void InvokeService::configurePrewarm(const store::Function& function) {
  int count = function.prewarm;
  if (count <= 0) {
    exec::PoolRequest request;
    request.executor = function.executor;
    request.spec.functionId = function.id;
    request.configKey = configKey(function, function.executor, function.mode);
    request.generation = function.updatedAt;
    pool_.setPrewarm(request, 0);
    return;
  }
  auto request = prepare(function, function.executor, function.mode);
  if (!request) {
    log::warn("could not pre-warm a function",
              {{"function_id", function.id}, {"error", request.error().describe()}});
    return;
  }
  pool_.setPrewarm(*request, count);
}

void InvokeService::warmCode(const store::Function& function) {
  auto found = version(function);
  if (!found) return;
  if (auto made = cache_.materialise(blobs_, found->blobKey, found->codeSha256); !made)
    log::warn("could not unpack a function's code ahead of its first call",
              {{"function_id", function.id}, {"error", made.error().describe()}});
}

Result<blob::CodeLease> InvokeService::leaseCode(const store::FunctionVersion& version) {
  return cache_.materialise(blobs_, version.blobKey, version.codeSha256);
}

void InvokeService::forget(const std::string& functionId) { pool_.forget(functionId); }

}  // namespace stratus::api
