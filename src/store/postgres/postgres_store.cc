#include "store/postgres/postgres_store.h"

#include "common/clock.h"
#include "common/log.h"
#include "store/postgres/pg_migrations.h"
#include "store/sql/sql_store_impl.h"

namespace stratus::store::sql {
template class SqlMetadataStore<postgres::PgPool>;
}  // namespace stratus::store::sql

namespace stratus::store::postgres {

Result<MetadataStorePtr> openPostgresStore(const std::string& url,
                                           const PostgresOptions& options) {
  const std::string where = "open PostgreSQL database " + redactUrl(url);
  auto first = PgConnection::open(url, options.connectTimeoutS);
  if (!first) return propagate(std::move(first.error()), where);
  if (options.migrate) {
    auto applied = applyMigrations(**first, migrations(), nowMs());
    if (!applied) return propagate(std::move(applied.error()), where);
    if (*applied > 0) {
      log::info("applied database migrations",
                {{"count", *applied}, {"version", static_cast<int>(migrations().size())}});
    }
  } else {
    auto version = schemaVersion(**first);
    if (!version) return propagate(std::move(version.error()), where);
    if (*version != static_cast<int>(migrations().size())) {
      return fail(ErrorKind::unavailable, "schema_outdated",
                  "the database schema is at version " + std::to_string(*version) +
                      ", this binary needs " + std::to_string(migrations().size()) +
                      ": run `stratus migrate`");
    }
  }
  PgPoolOptions pool{.url = url,
                     .size = options.poolSize,
                     .connectTimeoutS = options.connectTimeoutS,
                     .acquireTimeout = std::chrono::milliseconds(options.acquireTimeoutMs)};
  return std::make_unique<PostgresMetadataStore>(
      std::make_unique<PgPool>(std::move(pool), std::move(*first)));
}

Result<MigrationReport> migratePostgres(const std::string& url, bool dryRun) {
  const std::string where = "migrate PostgreSQL database " + redactUrl(url);
  auto connection = PgConnection::open(url, 5);
  if (!connection) return propagate(std::move(connection.error()), where);
  auto before = schemaVersion(**connection);
  if (!before) return propagate(std::move(before.error()), where);
  MigrationReport report{.before = *before, .latest = static_cast<int>(migrations().size())};
  if (dryRun) return report;
  auto applied = applyMigrations(**connection, migrations(), nowMs());
  if (!applied) return propagate(std::move(applied.error()), where);
  report.applied = *applied;
  return report;
}

}  // namespace stratus::store::postgres
