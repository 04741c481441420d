// Functions, their versions and their invocation records.
#include "store/sqlite/env_json.h"
#include "store/sqlite/query.h"
#include "store/sqlite/sqlite_store.h"

namespace stratus::store::sqlite {

namespace {

constexpr NotFound kFunctionNotFound{"function_not_found", "no such function"};
constexpr NotFound kVersionNotFound{"version_not_found", "no such function version"};
constexpr UniqueConflict kFunctionExists{"function_exists",
                                         "a function with this name already exists"};

Result<Function> functionFromRow(const Statement& row) {
  auto env = decodeEnv(row.text(10));
  if (!env) return propagate(std::move(env.error()), "read function " + row.text(0));
  return Function{
      .id = row.text(0),
      .userId = row.text(1),
      .name = row.text(2),
      .description = row.text(3),
      .runtime = row.text(4),
      .handler = row.text(5),
      .mode = row.text(6),
      .executor = row.text(7),
      .timeoutS = row.integer(8),
      .memoryMb = row.integer(9),
      .env = std::move(*env),
      .isPublic = row.boolean(11),
      .concurrencyLimit = row.optionalInt(12),
      .currentVersion = row.integer(13),
      .createdAt = row.int64(14),
      .updatedAt = row.int64(15),
  };
}

Result<FunctionVersion> versionFromRow(const Statement& row) {
  return FunctionVersion{
      .functionId = row.text(0),
      .version = row.integer(1),
      .codeSha256 = row.text(2),
      .codeSize = row.int64(3),
      .blobKey = row.text(4),
      .createdAt = row.int64(5),
  };
}

Result<Invocation> invocationFromRow(const Statement& row) {
  return Invocation{
      .id = row.text(0),
      .functionId = row.text(1),
      .version = row.integer(2),
      .executor = row.text(3),
      .startedAt = row.int64(4),
      .durationMs = row.int64(5),
      .status = row.text(6),
      .exitCode = row.integer(7),
      .timedOut = row.boolean(8),
      .coldStart = row.boolean(9),
      .memoryUsed = row.int64(10),
      .error = row.text(11),
      .logExcerpt = row.text(12),
  };
}

Result<int> firstInteger(const Statement& row) { return row.integer(0); }

// A foreign-key failure names no table; the caller knows which parent was missing.
Status explainMissing(Result<int64_t> changed, const NotFound& parent) {
  if (changed) return {};
  Error error = std::move(changed.error());
  if (error.kind == ErrorKind::not_found) {
    error.code = parent.code;
    error.message = parent.message;
  }
  return std::unexpected(std::move(error));
}

Status insertVersion(Connection& db, const FunctionVersion& version) {
  return explainMissing(change(db,
                               "INSERT INTO function_versions (function_id, version, code_sha256, "
                               "code_size, blob_key, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                               {}, version.functionId, version.version, version.codeSha256,
                               version.codeSize, version.blobKey, version.createdAt),
                        kFunctionNotFound);
}

// The current version of the caller's function, inside the caller's transaction.
Result<int> currentVersionOf(Connection& db, const std::string& userId, const std::string& id) {
  return queryOne(db, "SELECT current_version FROM functions WHERE id = ? AND user_id = ?",
                  firstInteger, kFunctionNotFound, id, userId);
}

}  // namespace

Status SqliteMetadataStore::createFunction(const Function& function, const FunctionVersion& first) {
  if (first.functionId != function.id || first.version != function.currentVersion) {
    return invalid("invalid_version",
                   "the first version must belong to the function and be its current version");
  }
  return within("create function", pool_->write([&](Connection& db) -> Status {
    auto transaction = Transaction::begin(db);
    if (!transaction) return std::unexpected(std::move(transaction.error()));
    auto inserted = explainMissing(
        change(db,
               "INSERT INTO functions (id, user_id, name, description, runtime, handler, mode, "
               "executor, timeout_s, memory_mb, env, is_public, concurrency_limit, "
               "current_version, created_at, updated_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               kFunctionExists, function.id, function.userId, function.name, function.description,
               function.runtime, function.handler, function.mode, function.executor,
               function.timeoutS, function.memoryMb, encodeEnv(function.env), function.isPublic,
               function.concurrencyLimit, function.currentVersion, function.createdAt,
               function.updatedAt),
        {"user_not_found", "no such user"});
    if (!inserted) return inserted;
    if (auto version = insertVersion(db, first); !version) return version;
    return transaction->commit();
  }));
}

Result<Function> SqliteMetadataStore::functionById(const std::string& userId,
                                                   const std::string& id) {
  return within("find function by id", pool_->read([&](Connection& db) {
    return queryOne(db,
                    "SELECT id, user_id, name, description, runtime, handler, mode, executor, "
                    "timeout_s, memory_mb, env, is_public, concurrency_limit, current_version, "
                    "created_at, updated_at FROM functions WHERE id = ? AND user_id = ?",
                    functionFromRow, kFunctionNotFound, id, userId);
  }));
}

Result<Function> SqliteMetadataStore::functionByName(const std::string& userId,
                                                     const std::string& name) {
  return within("find function by name", pool_->read([&](Connection& db) {
    return queryOne(db,
                    "SELECT id, user_id, name, description, runtime, handler, mode, executor, "
                    "timeout_s, memory_mb, env, is_public, concurrency_limit, current_version, "
                    "created_at, updated_at FROM functions WHERE user_id = ? AND name = ?",
                    functionFromRow, kFunctionNotFound, userId, name);
  }));
}

Result<std::vector<Function>> SqliteMetadataStore::listFunctions(const std::string& userId) {
  return within("list functions", pool_->read([&](Connection& db) {
    return queryAll(db,
                    "SELECT id, user_id, name, description, runtime, handler, mode, executor, "
                    "timeout_s, memory_mb, env, is_public, concurrency_limit, current_version, "
                    "created_at, updated_at FROM functions WHERE user_id = ? ORDER BY name",
                    functionFromRow, userId);
  }));
}

Status SqliteMetadataStore::updateFunction(const Function& function) {
  return within("update function", pool_->write([&](Connection& db) -> Status {
    auto changed =
        change(db,
               "UPDATE functions SET name = ?, description = ?, runtime = ?, "
               "handler = ?, mode = ?, executor = ?, timeout_s = ?, memory_mb = ?, "
               "env = ?, is_public = ?, concurrency_limit = ?, updated_at = ? "
               "WHERE id = ? AND user_id = ?",
               kFunctionExists, function.name, function.description, function.runtime,
               function.handler, function.mode, function.executor, function.timeoutS,
               function.memoryMb, encodeEnv(function.env), function.isPublic,
               function.concurrencyLimit, function.updatedAt, function.id, function.userId);
    if (!changed) return std::unexpected(std::move(changed.error()));
    if (*changed == 0) return fail(ErrorKind::not_found, "function_not_found", "no such function");
    return {};
  }));
}

Status SqliteMetadataStore::addVersion(const std::string& userId, const FunctionVersion& version) {
  return within("add function version", pool_->write([&](Connection& db) -> Status {
    auto transaction = Transaction::begin(db);
    if (!transaction) return std::unexpected(std::move(transaction.error()));
    auto current = currentVersionOf(db, userId, version.functionId);
    if (!current) return std::unexpected(std::move(current.error()));
    // Two uploads racing for the same next number: the second one loses here rather than
    // silently becoming a different version than it asked for.
    if (version.version != *current + 1) {
      return fail(ErrorKind::conflict, "version_conflict",
                  "version " + std::to_string(version.version) +
                      " does not follow the current version " + std::to_string(*current));
    }
    if (auto inserted = insertVersion(db, version); !inserted) return inserted;
    auto updated = change(db,
                          "UPDATE functions SET current_version = ?, "
                          "updated_at = MAX(updated_at, ?) WHERE id = ?",
                          {}, version.version, version.createdAt, version.functionId);
    if (!updated) return std::unexpected(std::move(updated.error()));
    return transaction->commit();
  }));
}

Result<FunctionVersion> SqliteMetadataStore::functionVersion(const std::string& functionId,
                                                             int version) {
  return within("find function version", pool_->read([&](Connection& db) {
    return queryOne(db,
                    "SELECT function_id, version, code_sha256, code_size, blob_key, created_at "
                    "FROM function_versions WHERE function_id = ? AND version = ?",
                    versionFromRow, kVersionNotFound, functionId, version);
  }));
}

Result<std::vector<FunctionVersion>> SqliteMetadataStore::listVersions(
    const std::string& functionId) {
  return within("list function versions", pool_->read([&](Connection& db) {
    return queryAll(db,
                    "SELECT function_id, version, code_sha256, code_size, blob_key, created_at "
                    "FROM function_versions WHERE function_id = ? ORDER BY version",
                    versionFromRow, functionId);
  }));
}

Status SqliteMetadataStore::deleteFunction(const std::string& userId, const std::string& id) {
  return within("delete function", pool_->write([&](Connection& db) -> Status {
    auto transaction = Transaction::begin(db);
    if (!transaction) return std::unexpected(std::move(transaction.error()));
    if (auto owned = currentVersionOf(db, userId, id); !owned) {
      return std::unexpected(std::move(owned.error()));
    }
    // Children first, explicitly: the promise holds even on a connection that has
    // foreign keys (and so ON DELETE CASCADE) switched off.
    for (const char* sql : {"DELETE FROM invocations WHERE function_id = ?",
                            "DELETE FROM function_versions WHERE function_id = ?",
                            "DELETE FROM functions WHERE id = ?"}) {
      if (auto deleted = change(db, sql, {}, id); !deleted) {
        return std::unexpected(std::move(deleted.error()));
      }
    }
    return transaction->commit();
  }));
}

Status SqliteMetadataStore::recordInvocation(const Invocation& invocation) {
  return within("record invocation", pool_->write([&](Connection& db) {
    return explainMissing(
        change(db,
               "INSERT INTO invocations (id, function_id, version, executor, started_at, "
               "duration_ms, status, exit_code, timed_out, cold_start, memory_used, error, "
               "log_excerpt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               {}, invocation.id, invocation.functionId, invocation.version, invocation.executor,
               invocation.startedAt, invocation.durationMs, invocation.status, invocation.exitCode,
               invocation.timedOut, invocation.coldStart, invocation.memoryUsed, invocation.error,
               invocation.logExcerpt),
        kFunctionNotFound);
  }));
}

Result<std::vector<Invocation>> SqliteMetadataStore::listInvocations(const std::string& functionId,
                                                                     int limit) {
  if (limit <= 0) return invalid("invalid_limit", "limit must be a positive number");
  return within("list invocations", pool_->read([&](Connection& db) {
    return queryAll(db,
                    "SELECT id, function_id, version, executor, started_at, duration_ms, status, "
                    "exit_code, timed_out, cold_start, memory_used, error, log_excerpt "
                    "FROM invocations WHERE function_id = ? ORDER BY started_at DESC LIMIT ?",
                    invocationFromRow, functionId, limit);
  }));
}

}  // namespace stratus::store::sqlite
