// Opening the SQLite database; the store's queries are the shared ones in sql/.
#include "store/sqlite/sqlite_store.h"

#include <fcntl.h>

#include <cerrno>
#include <system_error>

#include "common/clock.h"
#include "common/log.h"
#include "common/unique_fd.h"
#include "store/sqlite/migrations.h"
#include "store/sql/sql_store_impl.h"

namespace stratus::store::sql {
template class SqlMetadataStore<sqlite::ConnectionPool>;
}  // namespace stratus::store::sql

namespace stratus::store::sqlite {

// ---- Opening

namespace {

constexpr const char* kMemory = ":memory:";

// The file holds password and session hashes: create it owner-only before SQLite does
// (SQLite gives its -wal and -shm files the mode of the main file).
Status createPrivateFile(const std::filesystem::path& file) {
  std::error_code ec;
  if (file.has_parent_path()) {
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) return sysError("create database folder", ec.value());
  }
  UniqueFd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd.valid() && errno != EEXIST) return sysError("create database file", errno);
  return {};
}

Status enableWal(Connection& writer) {
  auto statement = writer.prepare("PRAGMA journal_mode = WAL");
  if (!statement) return std::unexpected(std::move(statement.error()));
  auto row = statement->step();
  if (!row) return std::unexpected(std::move(row.error()));
  // Some file systems (network mounts) cannot hold WAL's shared memory; SQLite then keeps
  // the rollback journal. Everything still works, only readers wait for writers.
  if (*row && statement->text(0) != "wal") {
    log::warn("sqlite database is not in WAL mode", {{"journal_mode", statement->text(0)}});
  }
  return {};
}

}  // namespace

Result<MetadataStorePtr> openSqliteStore(const std::filesystem::path& file,
                                         const SqliteOptions& options) {
  if (sqlite3_threadsafe() == 0) {
    return internalError("the SQLite library was built without thread support");
  }
  const bool inMemory = file == kMemory;
  if (!inMemory) {
    if (auto created = createPrivateFile(file); !created) {
      return propagate(std::move(created.error()), "open database " + file.string());
    }
  }

  const ConnectionOptions writerOptions{.busyTimeoutMs = options.busyTimeoutMs};
  auto writer = Connection::open(file.string(), writerOptions);
  if (!writer) return propagate(std::move(writer.error()), "open database " + file.string());
  if (!inMemory) {
    if (auto wal = enableWal(*writer); !wal) {
      return propagate(std::move(wal.error()), "enable WAL");
    }
  }
  auto applied = applyMigrations(*writer, migrations(), nowMs());
  if (!applied) return propagate(std::move(applied.error()), "open database " + file.string());
  if (*applied > 0) {
    log::info("applied database migrations",
              {{"count", *applied}, {"version", static_cast<int>(migrations().size())}});
  }

  // Readers open after the migrations so they never see a half-built schema.
  std::vector<Connection> readers;
  if (!inMemory) {
    const ConnectionOptions readerOptions{.busyTimeoutMs = options.busyTimeoutMs, .readOnly = true};
    for (int i = 0; i < options.readers; ++i) {
      auto reader = Connection::open(file.string(), readerOptions);
      if (!reader) return propagate(std::move(reader.error()), "open reader connection");
      readers.push_back(std::move(*reader));
    }
  }
  return std::make_unique<SqliteMetadataStore>(
      std::make_unique<ConnectionPool>(std::move(*writer), std::move(readers)));
}

Result<MigrationReport> migrateSqlite(const std::filesystem::path& file, bool dryRun) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    if (dryRun) {
      return fail(ErrorKind::not_found, "database_not_found",
                  "no database at " + file.string() + " yet");
    }
    // A new database: created the way the server creates it (owner-only), all migrations.
    auto created = openSqliteStore(file);
    if (!created) return std::unexpected(std::move(created.error()));
    const int latest = static_cast<int>(migrations().size());
    return MigrationReport{.before = 0, .applied = latest, .latest = latest};
  }
  auto connection = Connection::open(file.string(), ConnectionOptions{});
  if (!connection) return propagate(std::move(connection.error()), "open database " + file.string());
  auto before = schemaVersion(*connection);
  if (!before) return std::unexpected(std::move(before.error()));
  MigrationReport report{.before = *before, .latest = static_cast<int>(migrations().size())};
  if (dryRun) return report;
  auto applied = applyMigrations(*connection, migrations(), nowMs());
  if (!applied) return std::unexpected(std::move(applied.error()));
  report.applied = *applied;
  return report;
}

}  // namespace stratus::store::sqlite
