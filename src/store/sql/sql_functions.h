// SqlMetadataStore: functions, their versions and their invocation records. Part of
// sql_store_impl.h.
#pragma once

#include <limits>
#include <map>

#include "store/sql/query.h"
#include "store/sql/rows.h"
#include "store/sql/sql_store.h"
#include "store/sql/sql_users.h"

namespace stratus::store::sql {

inline constexpr NotFound kFunctionNotFound{"function_not_found", "no such function"};
inline constexpr NotFound kVersionNotFound{"version_not_found", "no such function version"};
inline constexpr UniqueConflict kFunctionExists{"function_exists",
                                                "a function with this name already exists"};

inline constexpr const char* kFunctionColumns =
    "SELECT id, user_id, name, description, runtime, handler, mode, executor, timeout_s, "
    "memory_mb, env, is_public, concurrency_limit, prewarm, current_version, created_at, "
    "updated_at FROM functions ";

template <class Connection>
Status insertVersion(Connection& db, const FunctionVersion& version) {
  return parentMustExist(
      ignoreCount(change(db,
                         "INSERT INTO function_versions (function_id, version, code_sha256, "
                         "code_size, blob_key, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                         {}, version.functionId, version.version, version.codeSha256,
                         version.codeSize, version.blobKey, version.createdAt)),
      kFunctionNotFound);
}

// The current version of the caller's function, inside the caller's transaction.
template <class Connection>
Result<int> currentVersionOf(Connection& db, const std::string& userId, const std::string& id) {
  return queryOne(db, "SELECT current_version FROM functions WHERE id = ? AND user_id = ?",
                  firstInteger, kFunctionNotFound, id, userId);
}

template <class Pool>
Status SqlMetadataStore<Pool>::createFunction(const Function& function,
                                              const FunctionVersion& first) {
  if (first.functionId != function.id || first.version != function.currentVersion) {
    return invalid("invalid_version",
                   "the first version must belong to the function and be its current version");
  }
  return within("create function", pool_->write([&](auto& db) -> Status {
    auto transaction = Pool::Transaction::begin(db);
    if (!transaction) return std::unexpected(std::move(transaction.error()));
    if (auto locked = Pool::lockBlobKey(db, first.blobKey); !locked) return locked;
    auto inserted = parentMustExist(
        ignoreCount(change(
            db,
            "INSERT INTO functions (id, user_id, name, description, runtime, handler, mode, "
            "executor, timeout_s, memory_mb, env, is_public, concurrency_limit, prewarm, "
            "current_version, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            kFunctionExists, function.id, function.userId, function.name, function.description,
            function.runtime, function.handler, function.mode, function.executor,
            function.timeoutS, function.memoryMb, encodeEnv(function.env), function.isPublic,
            function.concurrencyLimit, function.prewarm, function.currentVersion,
            function.createdAt, function.updatedAt)),
        kUserNotFound);
    if (!inserted) return inserted;
    if (auto version = insertVersion(db, first); !version) return version;
    return transaction->commit();
  }));
}

template <class Pool>
Result<Function> SqlMetadataStore<Pool>::functionById(const std::string& userId,
                                                      const std::string& id) {
  return within("find function by id", pool_->read([&](auto& db) {
    return queryOne(db, std::string(kFunctionColumns) + "WHERE id = ? AND user_id = ?",
                    functionFromRow, kFunctionNotFound, id, userId);
  }));
}

template <class Pool>
Result<Function> SqlMetadataStore<Pool>::functionByName(const std::string& userId,
                                                        const std::string& name) {
  return within("find function by name", pool_->read([&](auto& db) {
    return queryOne(db, std::string(kFunctionColumns) + "WHERE user_id = ? AND name = ?",
                    functionFromRow, kFunctionNotFound, userId, name);
  }));
}

template <class Pool>
Result<std::vector<Function>> SqlMetadataStore<Pool>::listFunctions(const std::string& userId) {
  return within("list functions", pool_->read([&](auto& db) {
    return queryAll(db, std::string(kFunctionColumns) + "WHERE user_id = ? ORDER BY name",
                    functionFromRow, userId);
  }));
}

template <class Pool>
Result<std::vector<Function>> SqlMetadataStore<Pool>::functionsToPrewarm() {
  return within("list pre-warmed functions", pool_->read([&](auto& db) {
    return queryAll(db, std::string(kFunctionColumns) + "WHERE prewarm > 0 ORDER BY id",
                    functionFromRow);
  }));
}

template <class Pool>
Status SqlMetadataStore<Pool>::updateFunction(const Function& function) {
  return within("update function", pool_->write([&](auto& db) {
    return expectChanged(
        change(db,
               "UPDATE functions SET name = ?, description = ?, runtime = ?, "
               "handler = ?, mode = ?, executor = ?, timeout_s = ?, memory_mb = ?, "
               "env = ?, is_public = ?, concurrency_limit = ?, prewarm = ?, updated_at = ? "
               "WHERE id = ? AND user_id = ?",
               kFunctionExists, function.name, function.description, function.runtime,
               function.handler, function.mode, function.executor, function.timeoutS,
               function.memoryMb, encodeEnv(function.env), function.isPublic,
               function.concurrencyLimit, function.prewarm, function.updatedAt, function.id,
               function.userId),
        kFunctionNotFound);
  }));
}

// The conditional UPDATE of current_version is the claim on the next number: of two
// uploads racing for it, the second's UPDATE finds the number already moved on (in
// PostgreSQL after waiting for the first to commit) and becomes a version_conflict rather
// than silently a different version than it asked for.
template <class Pool>
Status SqlMetadataStore<Pool>::addVersion(const std::string& userId,
                                          const FunctionVersion& version) {
  return addVersionTo(userId, version, nullptr);
}

template <class Pool>
Status SqlMetadataStore<Pool>::addVersionWithEntry(const std::string& userId,
                                                   const FunctionVersion& version,
                                                   const CodeEntry& entry) {
  return addVersionTo(userId, version, &entry);
}

template <class Pool>
Status SqlMetadataStore<Pool>::addVersionTo(const std::string& userId,
                                            const FunctionVersion& version,
                                            const CodeEntry* entry) {
  return within("add function version", pool_->write([&](auto& db) -> Status {
    auto transaction = Pool::Transaction::begin(db);
    if (!transaction) return std::unexpected(std::move(transaction.error()));
    if (auto locked = Pool::lockBlobKey(db, version.blobKey); !locked) return locked;
    auto claimed = change(db,
                          "UPDATE functions SET current_version = ?, updated_at = "
                          "CASE WHEN updated_at < ? THEN ? ELSE updated_at END "
                          "WHERE id = ? AND user_id = ? AND current_version = ?",
                          {}, version.version, version.createdAt, version.createdAt,
                          version.functionId, userId, version.version - 1);
    if (!claimed) return std::unexpected(std::move(claimed.error()));
    if (*claimed == 0) {
      auto current = currentVersionOf(db, userId, version.functionId);
      if (!current) return std::unexpected(std::move(current.error()));
      return fail(ErrorKind::conflict, "version_conflict",
                  "version " + std::to_string(version.version) +
                      " does not follow the current version " + std::to_string(*current));
    }
    if (auto inserted = insertVersion(db, version); !inserted) return inserted;
    if (entry) {
      auto moved = change(db,
                          "UPDATE functions SET runtime = ?, handler = ? "
                          "WHERE id = ? AND user_id = ?",
                          {}, entry->runtime, entry->handler, version.functionId, userId);
      if (!moved) return std::unexpected(std::move(moved.error()));
    }
    return transaction->commit();
  }));
}

template <class Pool>
Result<FunctionVersion> SqlMetadataStore<Pool>::functionVersion(const std::string& functionId,
                                                                int version) {
  return within("find function version", pool_->read([&](auto& db) {
    return queryOne(db,
                    "SELECT function_id, version, code_sha256, code_size, blob_key, created_at "
                    "FROM function_versions WHERE function_id = ? AND version = ?",
                    versionFromRow, kVersionNotFound, functionId, version);
  }));
}

template <class Pool>
Result<std::vector<FunctionVersion>> SqlMetadataStore<Pool>::listVersions(
    const std::string& functionId) {
  return within("list function versions", pool_->read([&](auto& db) {
    return queryAll(db,
                    "SELECT function_id, version, code_sha256, code_size, blob_key, created_at "
                    "FROM function_versions WHERE function_id = ? ORDER BY version",
                    versionFromRow, functionId);
  }));
}

template <class Pool>
Status SqlMetadataStore<Pool>::deleteFunction(const std::string& userId, const std::string& id) {
  return within("delete function", pool_->write([&](auto& db) -> Status {
    auto transaction = Pool::Transaction::begin(db);
    if (!transaction) return std::unexpected(std::move(transaction.error()));
    if (auto owned = currentVersionOf(db, userId, id); !owned) {
      return std::unexpected(std::move(owned.error()));
    }
    // Children first, explicitly: the promise holds even on a connection that has
    // foreign keys (and so ON DELETE CASCADE) switched off.
    for (const char* sql : {"DELETE FROM invocations WHERE function_id = ?",
                            "DELETE FROM function_urls WHERE function_id = ?",
                            "DELETE FROM aliases WHERE function_id = ?",
                            "DELETE FROM published_versions WHERE function_id = ?",
                            "DELETE FROM function_versions WHERE function_id = ?",
                            "DELETE FROM functions WHERE id = ?"}) {
      if (auto deleted = change(db, sql, {}, id); !deleted) {
        return std::unexpected(std::move(deleted.error()));
      }
    }
    return transaction->commit();
  }));
}

template <class Pool>
Result<std::vector<std::string>> SqlMetadataStore<Pool>::blobKeysInUse() {
  return within("list blob keys in use", pool_->read([&](auto& db) {
    return queryAll(db, "SELECT DISTINCT blob_key FROM function_versions ORDER BY blob_key",
                    firstText);
  }));
}

// The blob I/O happens inside the transaction on purpose: the lock must be held until the
// blob is gone. Sweeps are rare and a delete is one request, so writers naming the same
// key (and, on SQLite, all writers) wait that long at most.
template <class Pool>
Result<bool> SqlMetadataStore<Pool>::removeBlobIfUnused(const std::string& blobKey,
                                                        const std::function<Status()>& remove) {
  return within("remove unused blob", pool_->write([&](auto& db) -> Result<bool> {
    auto transaction = Pool::Transaction::begin(db);
    if (!transaction) return std::unexpected(std::move(transaction.error()));
    if (auto locked = Pool::lockBlobKey(db, blobKey); !locked) {
      return std::unexpected(std::move(locked.error()));
    }
    auto uses = queryOne(db, "SELECT COUNT(*) FROM function_versions WHERE blob_key = ?",
                         firstInteger, NotFound{"internal", "no count"}, blobKey);
    if (!uses) return std::unexpected(std::move(uses.error()));
    if (*uses > 0) return false;
    if (auto removed = remove(); !removed) return std::unexpected(std::move(removed.error()));
    if (auto committed = transaction->commit(); !committed) {
      return std::unexpected(std::move(committed.error()));
    }
    return true;
  }));
}

template <class Connection>
Status insertInvocation(Connection& db, const Invocation& invocation) {
  return parentMustExist(
      ignoreCount(change(db,
                         "INSERT INTO invocations (id, function_id, version, executor, "
                         "started_at, duration_ms, status, exit_code, timed_out, cold_start, "
                         "init_duration_ms, memory_used, error, log_excerpt) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         {}, invocation.id, invocation.functionId, invocation.version,
                         invocation.executor, invocation.startedAt, invocation.durationMs,
                         invocation.status, invocation.exitCode, invocation.timedOut,
                         invocation.coldStart, invocation.initDurationMs, invocation.memoryUsed,
                         invocation.error, invocation.logExcerpt)),
      kFunctionNotFound);
}

template <class Pool>
Status SqlMetadataStore<Pool>::recordInvocation(const Invocation& invocation) {
  return within("record invocation",
                pool_->write([&](auto& db) { return insertInvocation(db, invocation); }));
}

template <class Pool>
Status SqlMetadataStore<Pool>::recordInvocations(const std::vector<Invocation>& invocations) {
  if (invocations.empty()) return {};
  auto batch = within("record invocations", pool_->write([&](auto& db) -> Status {
    auto transaction = Pool::Transaction::begin(db);
    if (!transaction) return std::unexpected(std::move(transaction.error()));
    // A batch names few functions: look each up once, so a deleted one's records are
    // skipped rather than failing the statement (which on PostgreSQL aborts the whole
    // transaction).
    std::map<std::string, bool> exists;
    for (const auto& invocation : invocations) {
      auto [entry, fresh] = exists.try_emplace(invocation.functionId, false);
      if (!fresh) continue;
      auto count = queryOne(db, "SELECT COUNT(*) FROM functions WHERE id = ?", firstInteger,
                            NotFound{"internal", "no count"}, invocation.functionId);
      if (!count) return std::unexpected(std::move(count.error()));
      entry->second = *count > 0;
    }
    for (const auto& invocation : invocations) {
      if (!exists[invocation.functionId]) continue;
      if (auto inserted = insertInvocation(db, invocation); !inserted) return inserted;
    }
    return transaction->commit();
  }));
  if (batch || batch.error().kind == ErrorKind::unavailable) return batch;
  // A function deleted between the look-up and the insert: one at a time, so the others
  // are still kept.
  for (const auto& invocation : invocations)
    if (auto one = recordInvocation(invocation); !one && one.error().kind == ErrorKind::unavailable)
      return one;
  return {};
}

template <class Pool>
Result<std::vector<Invocation>> SqlMetadataStore<Pool>::listInvocations(
    const std::string& functionId, int limit) {
  return queryInvocations(InvocationQuery{.functionId = functionId, .limit = limit});
}

// One statement for every combination of filters, so each backend prepares it once: an
// absent status is '' (never a stored status) and an absent cursor is a start time after
// every row. "started_at <= ? AND (started_at < ? OR id < ?)" is the row-value comparison
// (started_at, id) < (?, ?) spelled so that both databases bound the index range on
// invocations_by_function (function_id, started_at DESC) with its first half.
template <class Pool>
Result<std::vector<Invocation>> SqlMetadataStore<Pool>::queryInvocations(
    const InvocationQuery& query) {
  if (query.limit <= 0) return invalid("invalid_limit", "limit must be a positive number");
  const std::string status = query.status.value_or("");
  const int64_t beforeStartedAt =
      query.before ? query.before->startedAt : std::numeric_limits<int64_t>::max();
  const std::string beforeId = query.before ? query.before->id : std::string();
  return within("list invocations", pool_->read([&](auto& db) {
    return queryAll(db,
                    "SELECT id, function_id, version, executor, started_at, duration_ms, status, "
                    "exit_code, timed_out, cold_start, init_duration_ms, memory_used, error, "
                    "log_excerpt "
                    "FROM invocations WHERE function_id = ? "
                    "AND (CAST(? AS TEXT) = '' OR status = ?) "
                    "AND started_at <= ? AND (started_at < ? OR id < ?) "
                    "ORDER BY started_at DESC, id DESC LIMIT ?",
                    invocationFromRow, query.functionId, status, status, beforeStartedAt,
                    beforeStartedAt, beforeId, query.limit);
  }));
}

template <class Pool>
Result<std::vector<InvocationSample>> SqlMetadataStore<Pool>::invocationSamples(
    const std::string& functionId, int64_t since, int limit) {
  if (limit <= 0) return invalid("invalid_limit", "limit must be a positive number");
  return within("sample invocations", pool_->read([&](auto& db) {
    return queryAll(db,
                    "SELECT started_at, duration_ms, status FROM invocations "
                    "WHERE function_id = ? AND started_at >= ? "
                    "ORDER BY started_at DESC LIMIT ?",
                    invocationSampleFromRow, functionId, since, limit);
  }));
}

}  // namespace stratus::store::sql
