#include "api/function_service.h"

#include <algorithm>
#include <filesystem>

#include "common/clock.h"
#include "common/crypto.h"
#include "common/log.h"

namespace stratus::api {
namespace {

std::string lowerExtension(std::string_view fileName) {
  std::string ext = std::filesystem::path(std::string(fileName)).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

std::unexpected<Error> codeError(std::string message) {
  return invalid("invalid_code", std::move(message));
}

}  // namespace

Result<PreparedCode> prepareCode(const UploadedCode& code, std::string_view runtime,
                                 std::string_view handler, const blob::PackageLimits& limits) {
  if (code.bytes.empty()) return codeError("functionFile is empty");
  if (code.bytes.size() > limits.maxUploadBytes)
    return fail(ErrorKind::payload_too_large, "code_too_large",
                "functionFile is larger than " + std::to_string(limits.maxUploadBytes >> 20) + " MB");
  std::string entry = entryFileFor(handler, runtime);
  std::string ext = lowerExtension(code.fileName);
  PreparedCode prepared;
  if (ext == ".zip") {
    auto entries = blob::inspectZip(code.bytes, limits, entry);
    if (!entries) return std::unexpected(entries.error());
    if (runtime == "provided") {
      bool runnable = std::any_of(entries->begin(), entries->end(), [](const auto& e) {
        return e.path == "bootstrap" && e.executable;
      });
      if (!runnable)
        return codeError("the zip's bootstrap must be executable (zip it with its mode, e.g. "
                         "chmod +x bootstrap before zipping)");
    }
    prepared.zip = code.bytes;
  } else if (runtime == "provided") {
    return codeError("a provided runtime needs a .zip holding an executable bootstrap");
  } else if (ext == ".py" || ext == ".js") {
    if (ext != sourceExtension(runtime))
      return codeError("a " + ext + " file cannot run on runtime " + std::string(runtime));
    auto zip = blob::zipSingleFile(entry, code.bytes);
    if (!zip) return std::unexpected(zip.error());
    prepared.zip = std::move(*zip);
  } else {
    return codeError("functionFile must be a .py, .js or .zip file");
  }
  prepared.sha256 = sha256Hex(prepared.zip);
  return prepared;
}

FunctionService::FunctionService(store::MetadataStore& store, blob::BlobStore& blobs,
                                 blob::PackageLimits limits)
    : store_(store), blobs_(blobs), limits_(limits) {}

Result<store::Function> FunctionService::create(const std::string& userId, FunctionSpec spec,
                                                const UploadedCode& code) {
  if (!spec.name) return invalid("invalid_name", "name is required");
  std::string ext = lowerExtension(code.fileName);
  if (ext != ".py" && ext != ".js" && ext != ".zip")
    return codeError("functionFile must be a .py, .js or .zip file");
  if (!spec.runtime) {
    if (ext == ".py") spec.runtime = "python3.11";
    else if (ext == ".js") spec.runtime = "nodejs20";
    else return invalid("invalid_runtime", "runtime is required for a .zip upload");
  }
  if (!spec.handler) {
    auto stem = std::filesystem::path(code.fileName).stem().string();
    spec.handler = stem + ".handler";
    if (auto ok = validateHandler(*spec.handler); !ok)
      return invalid("invalid_handler", "handler is required (module.function)");
  }
  const std::optional<int> concurrency = spec.concurrency.value_or(std::nullopt);
  if (auto ok = validatePrewarm(spec.prewarm.value_or(0), concurrency); !ok)
    return std::unexpected(ok.error());
  // Checked before any write so the common mistake costs nothing; the unique constraint
  // below still decides races.
  if (auto existing = store_.functionByName(userId, *spec.name); existing)
    return fail(ErrorKind::conflict, "function_exists",
                "a function named '" + *spec.name + "' already exists");
  else if (existing.error().kind != ErrorKind::not_found)
    return std::unexpected(existing.error());

  auto prepared = prepareCode(code, *spec.runtime, *spec.handler, limits_);
  if (!prepared) return std::unexpected(prepared.error());

  int64_t now = nowMs();
  store::Function function;
  function.id = newId();
  function.userId = userId;
  function.name = *spec.name;
  function.description = spec.description.value_or("");
  function.runtime = *spec.runtime;
  function.handler = *spec.handler;
  function.mode = spec.mode.value_or("script");  // the clone's semantics
  function.executor = spec.executor.value_or("sandbox");
  function.timeoutS = spec.timeoutS.value_or(3);
  function.memoryMb = spec.memoryMb.value_or(128);
  function.isPublic = spec.isPublic.value_or(false);
  function.env = spec.env.value_or(std::map<std::string, std::string>{});
  function.concurrencyLimit = concurrency;
  function.prewarm = spec.prewarm.value_or(0);
  function.currentVersion = 1;
  function.createdAt = function.updatedAt = now;

  store::FunctionVersion version{function.id, 1, prepared->sha256,
                                 static_cast<int64_t>(prepared->zip.size()),
                                 blob::codeKey(userId, function.id, prepared->sha256), now};
  if (auto ok = blobs_.put(version.blobKey, prepared->zip); !ok)
    return propagate(ok.error(), "store code");
  if (auto ok = store_.createFunction(function, version); !ok) {
    // A new function id means nothing else refers to the blob, but a lost connection
    // leaves open whether the commit happened: then the sweeper decides, later, from what
    // the database says.
    if (ok.error().kind != ErrorKind::unavailable) (void)blobs_.remove(version.blobKey);
    return std::unexpected(ok.error());
  }
  log::info("function created", {{"function_id", function.id}, {"user_id", userId}});
  return function;
}

Result<store::Function> FunctionService::updateConfig(const store::Function& existing,
                                                      const FunctionSpec& spec) {
  store::Function updated = existing;
  if (spec.name) updated.name = *spec.name;
  if (spec.description) updated.description = *spec.description;
  if (spec.runtime) updated.runtime = *spec.runtime;
  if (spec.handler) updated.handler = *spec.handler;
  if (spec.timeoutS) updated.timeoutS = *spec.timeoutS;
  if (spec.memoryMb) updated.memoryMb = *spec.memoryMb;
  if (spec.isPublic) updated.isPublic = *spec.isPublic;
  if (spec.env) updated.env = *spec.env;
  if (spec.mode) updated.mode = *spec.mode;
  if (spec.executor) updated.executor = *spec.executor;
  if (spec.concurrency) updated.concurrencyLimit = *spec.concurrency;
  if (spec.prewarm) updated.prewarm = *spec.prewarm;
  // A patch of either one is checked against the other as stored.
  if (auto ok = validatePrewarm(updated.prewarm, updated.concurrencyLimit); !ok)
    return std::unexpected(ok.error());
  if (updated.runtime != existing.runtime || updated.handler != existing.handler) {
    // The current code must still contain the entry the new runtime and handler point at.
    auto version = store_.functionVersion(existing.id, existing.currentVersion);
    if (!version) return std::unexpected(version.error());
    auto zip = blobs_.get(version->blobKey);
    if (!zip) return propagate(zip.error(), "read code");
    auto entries = blob::inspectZip(*zip, limits_, entryFileFor(updated.handler, updated.runtime));
    if (!entries) return std::unexpected(entries.error());
  }
  updated.updatedAt = nowMs();
  if (auto ok = store_.updateFunction(updated); !ok) return std::unexpected(ok.error());
  return updated;
}

Result<store::Function> FunctionService::updateCode(const store::Function& existing,
                                                    const UploadedCode& code,
                                                    const std::optional<store::CodeEntry>& entry) {
  const std::string& runtime = entry ? entry->runtime : existing.runtime;
  const std::string& handler = entry ? entry->handler : existing.handler;
  auto prepared = prepareCode(code, runtime, handler, limits_);
  if (!prepared) return std::unexpected(prepared.error());
  int64_t now = nowMs();
  store::FunctionVersion version{existing.id, existing.currentVersion + 1, prepared->sha256,
                                 static_cast<int64_t>(prepared->zip.size()),
                                 blob::codeKey(existing.userId, existing.id, prepared->sha256),
                                 now};
  if (auto ok = blobs_.put(version.blobKey, prepared->zip); !ok)
    return propagate(ok.error(), "store code");
  // Content addressing means an identical upload reuses the blob an older version already
  // refers to, so the blob is never removed here on failure.
  auto added = entry ? store_.addVersionWithEntry(existing.userId, version, *entry)
                     : store_.addVersion(existing.userId, version);
  if (!added) return std::unexpected(added.error());
  // Identical code re-uploaded after a failed upload reuses that upload's unreferenced
  // blob, which a sweep may have deleted between our put and our commit (blob_sweeper.h).
  if (auto present = blobs_.exists(version.blobKey); present && !*present) {
    if (auto ok = blobs_.put(version.blobKey, prepared->zip); !ok) {
      log::error("code blob of a committed version is missing",
                 {{"key", version.blobKey}, {"error", ok.error().describe()}});
    }
  }
  auto updated = store_.functionById(existing.userId, existing.id);
  if (!updated) return std::unexpected(updated.error());
  log::info("function code updated",
            {{"function_id", existing.id}, {"version", version.version}});
  return updated;
}

Status FunctionService::remove(const store::Function& existing) {
  auto versions = store_.listVersions(existing.id);
  if (auto ok = store_.deleteFunction(existing.userId, existing.id); !ok) return ok;
  // Metadata is gone first, so a failure below leaves only garbage blobs, never a function
  // whose code is missing.
  if (versions)
    for (const auto& v : *versions) (void)blobs_.remove(v.blobKey);
  log::info("function deleted", {{"function_id", existing.id}});
  return {};
}

Status FunctionService::deleteUser(const std::string& userId) {
  // The blob keys are read before the rows go; the rows go in one transaction; then the
  // blobs. A crash in between leaves unreferenced blobs for the sweeper, never an account
  // half deleted.
  std::vector<std::string> keys;
  auto functions = store_.listFunctions(userId);
  if (!functions) return std::unexpected(functions.error());
  for (const auto& function : *functions) {
    auto versions = store_.listVersions(function.id);
    if (!versions) return std::unexpected(versions.error());
    for (const auto& v : *versions) keys.push_back(v.blobKey);
  }
  if (auto ok = store_.deleteUser(userId); !ok) return ok;
  for (const auto& key : keys) (void)blobs_.remove(key);
  log::info("account deleted", {{"user_id", userId}, {"functions", functions->size()}});
  return {};
}

Result<store::Function> FunctionService::find(const std::string& userId,
                                              const std::string& nameOrId) {
  auto byName = store_.functionByName(userId, nameOrId);
  if (byName || byName.error().kind != ErrorKind::not_found) return byName;
  auto byId = store_.functionById(userId, nameOrId);
  if (byId || byId.error().kind != ErrorKind::not_found) return byId;
  return fail(ErrorKind::not_found, "function_not_found",
              "no function named '" + nameOrId + "'");
}

}  // namespace stratus::api
