// Versioned schema changes. Migration N (counting from 1) is migrations()[N-1]; the
// versions applied so far are rows of schema_migrations(version, applied_at). A migration
// that has shipped is never edited, only followed by a new one.
#pragma once

#include <cstdint>
#include <span>

#include "common/error.h"
#include "store/sqlite/connection.h"

namespace stratus::store::sqlite {

// The SQLite schema of DESIGN §3, in order.
std::span<const char* const> migrations();

// Applies, in one transaction, every migration newer than the version recorded in the
// database, recording each with `now`. Returns how many were applied. A database whose
// recorded version is newer than `all` is refused ("schema_too_new"): an older binary
// must not write to a schema it does not know.
Result<int> applyMigrations(Connection& connection, std::span<const char* const> all, int64_t now);

// The highest version recorded in schema_migrations, 0 for a new database.
Result<int> schemaVersion(Connection& connection);

}  // namespace stratus::store::sqlite
