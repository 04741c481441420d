// The PostgreSQL schema, as numbered migrations applied in order. The list only grows:
// a released migration is never edited, a change is a new one. Numbering follows the
// SQLite list (sqlite/migrations.cc) so a schema version means the same on both.
#pragma once

#include <cstdint>
#include <span>

#include "common/error.h"
#include "store/postgres/pg_connection.h"

namespace stratus::store::postgres {

std::span<const char* const> migrations();

// The highest applied migration, 0 for a database Stratus never touched.
Result<int> schemaVersion(PgConnection& connection);

// Applies what is missing, in one transaction, and returns how many were applied.
// Several nodes starting at once on a new database is safe: each first takes the same
// transaction-scoped advisory lock, so one migrates while the others wait, and they then
// find nothing left to do. A database newer than this binary is refused (schema_too_new).
Result<int> applyMigrations(PgConnection& connection, std::span<const char* const> all,
                            int64_t now);

}  // namespace stratus::store::postgres
