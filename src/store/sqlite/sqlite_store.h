// The embedded default MetadataStore: one SQLite file in WAL mode (DESIGN §6).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "store/metadata_store.h"
#include "store/migration_report.h"
#include "store/sql/sql_store.h"
#include "store/sqlite/connection_pool.h"

namespace stratus::store::sqlite {

struct SqliteOptions {
  int readers = 4;  // reader connections besides the writer (none for ":memory:")
  int busyTimeoutMs = 5000;
};

// The SQL store (sql/sql_store.h) on SQLite connections.
using SqliteMetadataStore = sql::SqlMetadataStore<ConnectionPool>;

// Opens (creating it and its parent folders if needed, mode 0600) the database at `file`
// and applies pending migrations. ":memory:" opens a private in-memory database (tests).
Result<MetadataStorePtr> openSqliteStore(const std::filesystem::path& file,
                                         const SqliteOptions& options = {});

// For `stratus migrate`: apply (or with dryRun only report) what is pending. The file
// must exist: a dry run never creates a database.
Result<MigrationReport> migrateSqlite(const std::filesystem::path& file, bool dryRun);

}  // namespace stratus::store::sqlite
