#include "api/invoke_service.h"

#include "api/function_spec.h"
#include "common/clock.h"
#include "common/crypto.h"
#include "common/log.h"
#include "common/utf8.h"

namespace stratus::api {
namespace {

std::string excerpt(const exec::ScriptResult& result) {
  std::string text = result.stdoutData.substr(0, kLogExcerptBytes);
  if (!result.stderrData.empty() && text.size() < kLogExcerptBytes) {
    if (!text.empty() && text.back() != '\n') text.push_back('\n');
    text += result.stderrData.substr(0, kLogExcerptBytes - text.size());
  }
  return toValidUtf8(text);
}

std::string statusOf(const exec::ScriptResult& result) {
  if (result.timedOut) return "timeout";
  if (result.oomKilled || result.signal != 0) return "killed";
  return result.exitCode == 0 ? "ok" : "error";
}

}  // namespace

InvokeService::InvokeService(store::MetadataStore& store, blob::BlobStore& blobs,
                             blob::CodeCache& cache,
                             std::map<std::string, exec::Executor*> executors)
    : store_(store), blobs_(blobs), cache_(cache), executors_(std::move(executors)) {}

Result<InvokeOutcome> InvokeService::runScript(const store::Function& function,
                                               const std::string& executorName,
                                               std::vector<std::string> args) {
  auto found = executors_.find(executorName);
  if (found == executors_.end() || found->second == nullptr)
    return fail(ErrorKind::not_implemented, "executor_unavailable",
                "the " + executorName + " executor is not available on this server yet; use "
                "the sandbox executor (/sandbox)");
  if (args.size() > kMaxArgs)
    return invalid("too_many_args", "at most " + std::to_string(kMaxArgs) + " arguments");

  auto version = store_.functionVersion(function.id, function.currentVersion);
  if (!version) return propagate(version.error(), "load function version");
  // Held until this function returns, after the run: the cache never evicts a version
  // an instance is still reading.
  auto code = cache_.materialise(blobs_, version->blobKey, version->codeSha256);
  if (!code) return propagate(code.error(), "prepare code");

  exec::ScriptRequest request;
  request.invocationId = newId();
  request.runtime = function.runtime;
  request.codeDir = code->path();
  request.entry = entryFileFor(function.handler, function.runtime);
  request.args = std::move(args);
  request.env = function.env;
  request.timeoutS = function.timeoutS;
  request.memoryMb = function.memoryMb;

  InvokeOutcome outcome;
  store::Invocation& record = outcome.record;
  record.id = request.invocationId;
  record.functionId = function.id;
  record.version = version->version;
  record.executor = executorName;
  record.startedAt = nowMs();
  record.coldStart = true;  // every script-mode run starts a fresh instance (for now)

  auto result = found->second->runScript(request);
  if (!result) {
    record.status = "error";
    record.durationMs = nowMs() - record.startedAt;
    record.error = "the platform could not run the function";
    (void)store_.recordInvocation(record);
    log::error("invocation failed", {{"invocation_id", record.id},
                                     {"function_id", function.id},
                                     {"error", result.error().describe()}});
    return std::unexpected(result.error());
  }
  outcome.result = std::move(*result);
  record.durationMs = outcome.result.durationMs;
  record.status = statusOf(outcome.result);
  record.exitCode = outcome.result.exitCode;
  record.timedOut = outcome.result.timedOut;
  record.memoryUsed = outcome.result.memoryPeakBytes;
  record.error = outcome.result.error;
  record.logExcerpt = excerpt(outcome.result);
  if (auto ok = store_.recordInvocation(record); !ok)
    log::warn("could not record invocation",
              {{"invocation_id", record.id}, {"error", ok.error().describe()}});
  log::info("invocation", {{"invocation_id", record.id},
                           {"function_id", function.id},
                           {"status", record.status},
                           {"duration_ms", record.durationMs}});
  return outcome;
}

}  // namespace stratus::api
