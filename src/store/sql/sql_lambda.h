// SqlMetadataStore: what the Lambda-compatible API adds to a function — published versions,
// aliases and function URLs. Part of sql_store_impl.h.
#pragma once

#include "store/sql/query.h"
#include "store/sql/rows.h"
#include "store/sql/sql_functions.h"
#include "store/sql/sql_store.h"

namespace stratus::store::sql {

inline constexpr NotFound kPublishedNotFound{"version_not_found", "no such published version"};
inline constexpr NotFound kAliasNotFound{"alias_not_found", "no such alias"};
inline constexpr NotFound kUrlNotFound{"function_url_not_found", "no such function URL"};
inline constexpr UniqueConflict kAliasExists{"alias_exists",
                                             "an alias with this name already exists"};
inline constexpr UniqueConflict kUrlExists{"function_url_exists",
                                           "this function already has a URL"};

inline constexpr const char* kPublishedColumns =
    "SELECT function_id, version, code_version, description, runtime, handler, timeout_s, "
    "memory_mb, env, created_at FROM published_versions ";
inline constexpr const char* kAliasColumns =
    "SELECT function_id, name, function_version, description, additional_version, "
    "additional_weight_ppm, revision_id, created_at, updated_at FROM aliases ";
inline constexpr const char* kUrlColumns =
    "SELECT id, function_id, user_id, qualifier, auth_type, cors, created_at, updated_at "
    "FROM function_urls ";

// The next number is read and written in one transaction; of two racing publications the
// second's INSERT collides on the primary key and is a conflict, never a duplicate number.
template <class Pool>
Result<PublishedVersion> SqlMetadataStore<Pool>::publishVersion(const PublishedVersion& snapshot) {
  return within("publish version", pool_->write([&](auto& db) -> Result<PublishedVersion> {
    auto transaction = Pool::Transaction::begin(db);
    if (!transaction) return std::unexpected(std::move(transaction.error()));
    auto last = queryOne(db,
                         "SELECT COALESCE(MAX(version), 0) FROM published_versions "
                         "WHERE function_id = ?",
                         firstInteger, kFunctionNotFound, snapshot.functionId);
    if (!last) return std::unexpected(std::move(last.error()));
    PublishedVersion stored = snapshot;
    stored.version = *last + 1;
    auto inserted = parentMustExist(
        ignoreCount(change(db,
                           "INSERT INTO published_versions (function_id, version, code_version, "
                           "description, runtime, handler, timeout_s, memory_mb, env, "
                           "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           {"version_conflict", "another version was published at the same time"},
                           stored.functionId, stored.version, stored.codeVersion,
                           stored.description, stored.runtime, stored.handler, stored.timeoutS,
                           stored.memoryMb, encodeEnv(stored.env), stored.createdAt)),
        kVersionNotFound);
    if (!inserted) return std::unexpected(std::move(inserted.error()));
    if (auto committed = transaction->commit(); !committed)
      return std::unexpected(std::move(committed.error()));
    return stored;
  }));
}

template <class Pool>
Result<PublishedVersion> SqlMetadataStore<Pool>::publishedVersion(const std::string& functionId,
                                                                  int version) {
  return within("find published version", pool_->read([&](auto& db) {
    return queryOne(db, std::string(kPublishedColumns) + "WHERE function_id = ? AND version = ?",
                    publishedFromRow, kPublishedNotFound, functionId, version);
  }));
}

template <class Pool>
Result<std::vector<PublishedVersion>> SqlMetadataStore<Pool>::listPublishedVersions(
    const std::string& functionId) {
  return within("list published versions", pool_->read([&](auto& db) {
    return queryAll(db, std::string(kPublishedColumns) + "WHERE function_id = ? ORDER BY version",
                    publishedFromRow, functionId);
  }));
}

template <class Pool>
Status SqlMetadataStore<Pool>::createAlias(const Alias& alias) {
  return within("create alias", pool_->write([&](auto& db) {
    return parentMustExist(
        ignoreCount(change(db,
                           "INSERT INTO aliases (function_id, name, function_version, description, "
                           "additional_version, additional_weight_ppm, revision_id, created_at, "
                           "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           kAliasExists, alias.functionId, alias.name, alias.functionVersion,
                           alias.description, alias.additionalVersion, alias.additionalWeightPpm,
                           alias.revisionId, alias.createdAt, alias.updatedAt)),
        kFunctionNotFound);
  }));
}

template <class Pool>
Status SqlMetadataStore<Pool>::updateAlias(const Alias& alias) {
  return within("update alias", pool_->write([&](auto& db) {
    return expectChanged(
        change(db,
               "UPDATE aliases SET function_version = ?, description = ?, "
               "additional_version = ?, additional_weight_ppm = ?, revision_id = ?, "
               "updated_at = ? WHERE function_id = ? AND name = ?",
               {}, alias.functionVersion, alias.description, alias.additionalVersion,
               alias.additionalWeightPpm, alias.revisionId, alias.updatedAt, alias.functionId,
               alias.name),
        kAliasNotFound);
  }));
}

template <class Pool>
Result<Alias> SqlMetadataStore<Pool>::alias(const std::string& functionId,
                                            const std::string& name) {
  return within("find alias", pool_->read([&](auto& db) {
    return queryOne(db, std::string(kAliasColumns) + "WHERE function_id = ? AND name = ?",
                    aliasFromRow, kAliasNotFound, functionId, name);
  }));
}

template <class Pool>
Result<std::vector<Alias>> SqlMetadataStore<Pool>::listAliases(const std::string& functionId) {
  return within("list aliases", pool_->read([&](auto& db) {
    return queryAll(db, std::string(kAliasColumns) + "WHERE function_id = ? ORDER BY name",
                    aliasFromRow, functionId);
  }));
}

template <class Pool>
Status SqlMetadataStore<Pool>::deleteAlias(const std::string& functionId,
                                           const std::string& name) {
  return within("delete alias", pool_->write([&](auto& db) {
    return expectChanged(
        change(db, "DELETE FROM aliases WHERE function_id = ? AND name = ?", {}, functionId, name),
        kAliasNotFound);
  }));
}

template <class Pool>
Status SqlMetadataStore<Pool>::createFunctionUrl(const FunctionUrl& url) {
  return within("create function URL", pool_->write([&](auto& db) {
    return parentMustExist(
        ignoreCount(change(db,
                           "INSERT INTO function_urls (id, function_id, user_id, qualifier, "
                           "auth_type, cors, created_at, updated_at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           kUrlExists, url.id, url.functionId, url.userId, url.qualifier, url.authType,
                           url.cors, url.createdAt, url.updatedAt)),
        kFunctionNotFound);
  }));
}

template <class Pool>
Result<FunctionUrl> SqlMetadataStore<Pool>::functionUrl(const std::string& functionId,
                                                        const std::string& qualifier) {
  return within("find function URL", pool_->read([&](auto& db) {
    return queryOne(db, std::string(kUrlColumns) + "WHERE function_id = ? AND qualifier = ?",
                    urlFromRow, kUrlNotFound, functionId, qualifier);
  }));
}

template <class Pool>
Result<FunctionUrl> SqlMetadataStore<Pool>::functionUrlById(const std::string& id) {
  return within("find function URL by id", pool_->read([&](auto& db) {
    return queryOne(db, std::string(kUrlColumns) + "WHERE id = ?", urlFromRow, kUrlNotFound, id);
  }));
}

template <class Pool>
Status SqlMetadataStore<Pool>::deleteFunctionUrl(const std::string& functionId,
                                                 const std::string& qualifier) {
  return within("delete function URL", pool_->write([&](auto& db) {
    return expectChanged(change(db,
                                "DELETE FROM function_urls WHERE function_id = ? AND qualifier = ?",
                                {}, functionId, qualifier),
                         kUrlNotFound);
  }));
}

}  // namespace stratus::store::sql
