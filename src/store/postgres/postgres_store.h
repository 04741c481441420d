// The production MetadataStore: PostgreSQL through libpq (DESIGN §6), selected with
// --database postgres://user:pass@host:port/db or DATABASE_URL. The queries are the
// shared SQL store's (sql/); this folder holds the connection, pool and schema.
#pragma once

#include <string>

#include "common/error.h"
#include "store/metadata_store.h"
#include "store/migration_report.h"
#include "store/postgres/pg_pool.h"
#include "store/sql/sql_store.h"

namespace stratus::store::postgres {

struct PostgresOptions {
  int poolSize = 8;
  int connectTimeoutS = 5;
  int acquireTimeoutMs = 5000;
  bool migrate = true;  // apply pending migrations on open (else refuse an outdated schema)
};

using PostgresMetadataStore = sql::SqlMetadataStore<PgPool>;

// Connects, applies pending migrations (or checks there are none) and returns the store.
// A database that cannot be reached is unavailable, with libpq's reason in the context.
Result<MetadataStorePtr> openPostgresStore(const std::string& url,
                                           const PostgresOptions& options = {});

// For `stratus migrate`: apply (or with dryRun only report) what is pending.
Result<MigrationReport> migratePostgres(const std::string& url, bool dryRun);

}  // namespace stratus::store::postgres
