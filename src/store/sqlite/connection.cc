#include "store/sqlite/connection.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace stratus::store::sqlite {

Error sqliteError(sqlite3* db, int resultCode, std::string_view step,
                  const UniqueConflict& unique) {
  Error error;
  switch (resultCode) {
    case SQLITE_CONSTRAINT_UNIQUE:
      error = Error{ErrorKind::conflict, std::string(unique.code), std::string(unique.message), {}};
      break;
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      error = Error{ErrorKind::conflict, "conflict", "the record already exists", {}};
      break;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      error = Error{ErrorKind::not_found, "not_found", "a referenced record does not exist", {}};
      break;
    default:
      switch (resultCode & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_CANTOPEN:
          error = Error{ErrorKind::unavailable,
                        "storage_unavailable",
                        std::string(sql::kUnavailableMessage),
                        {}};
          break;
        default:
          error = Error{ErrorKind::internal, "internal", "database error", {}};
      }
  }
  // sqlite3_errmsg describes the most recent failure on this connection, which is this one
  // because a Connection is used by one thread at a time.
  error.addContext(db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(resultCode));
  error.addContext(std::string(step));
  return error;
}

// ---- Statement

Statement::~Statement() {
  if (statement_ == nullptr) return;
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

// Binding can only fail for an out-of-range index or out of memory: both are bugs in this
// file or a dying process, so they are not worth a Result at every call site.
static void checkBind(int resultCode) {
  if (resultCode != SQLITE_OK) {
    std::fprintf(stderr, "sqlite bind failed: %s\n", sqlite3_errstr(resultCode));
    std::abort();
  }
}

void Statement::bind(int index, std::string_view value) {
  // SQLITE_TRANSIENT copies: a temporary passed to bind() may die before step().
  checkBind(sqlite3_bind_text64(statement_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                SQLITE_UTF8));
}

void Statement::bind(int index, int64_t value) {
  checkBind(sqlite3_bind_int64(statement_, index, value));
}

void Statement::bind(int index, std::nullopt_t) { checkBind(sqlite3_bind_null(statement_, index)); }

Result<bool> Statement::step(const UniqueConflict& unique) {
  const int resultCode = sqlite3_step(statement_);
  if (resultCode == SQLITE_ROW) return true;
  if (resultCode == SQLITE_DONE) return false;
  return std::unexpected(
      sqliteError(db_, resultCode, std::string("run ") + sqlite3_sql(statement_), unique));
}

Status Statement::run(const UniqueConflict& unique) {
  auto stepped = step(unique);
  if (!stepped) return std::unexpected(std::move(stepped.error()));
  return {};
}

std::string Statement::text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
  if (data == nullptr) return {};
  return std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
}

std::optional<int64_t> Statement::optionalInt64(int column) const {
  if (isNull(column)) return std::nullopt;
  return int64(column);
}

std::optional<int> Statement::optionalInt(int column) const {
  if (isNull(column)) return std::nullopt;
  return integer(column);
}

std::optional<std::string> Statement::optionalText(int column) const {
  if (isNull(column)) return std::nullopt;
  return text(column);
}

// ---- Connection

Result<Connection> Connection::open(const std::string& file, const ConnectionOptions& options) {
  // NOMUTEX: SQLite's own per-connection mutex is redundant, ConnectionPool hands each
  // connection to one thread at a time.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  sqlite3* raw = nullptr;
  const int opened = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  DatabaseHandle db(raw);  // sqlite3_open_v2 may allocate a handle even when it fails
  if (opened != SQLITE_OK) return std::unexpected(sqliteError(db.get(), opened, "open database"));

  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), options.busyTimeoutMs);
  Connection connection(std::move(db));
  // synchronous=NORMAL is durable across process crashes in WAL mode; only an OS crash or
  // power loss can lose the last commits, and never corrupts the database.
  if (auto done = connection.execute("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;");
      !done) {
    return propagate(std::move(done.error()), "configure connection");
  }
  if (options.readOnly) {
    if (auto done = connection.execute("PRAGMA query_only = ON;"); !done) {
      return propagate(std::move(done.error()), "configure reader");
    }
  }
  return connection;
}

Status Connection::execute(const char* sql) {
  const int resultCode = sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr);
  if (resultCode != SQLITE_OK) {
    return std::unexpected(sqliteError(db_.get(), resultCode, std::string("execute ") + sql));
  }
  return {};
}

Result<Statement> Connection::prepare(std::string_view sql) {
  auto found = statements_.find(sql);
  if (found == statements_.end()) {
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int resultCode = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                              SQLITE_PREPARE_PERSISTENT, &raw, &tail);
    StatementHandle statement(raw);
    if (resultCode != SQLITE_OK) {
      return std::unexpected(sqliteError(db_.get(), resultCode, "prepare " + std::string(sql)));
    }
    found = statements_.emplace(std::string(sql), std::move(statement)).first;
  }
  return Statement(db_.get(), found->second.get());
}

// ---- Transaction

Result<Transaction> Transaction::begin(Connection& connection) {
  if (auto begun = connection.execute("BEGIN IMMEDIATE"); !begun) {
    return propagate(std::move(begun.error()), "begin transaction");
  }
  return Transaction(connection);
}

Transaction::~Transaction() {
  // Some errors (SQLITE_FULL, SQLITE_IOERR...) already rolled the transaction back.
  if (connection_ != nullptr && sqlite3_get_autocommit(connection_->raw()) == 0) {
    (void)connection_->execute("ROLLBACK");
  }
}

Status Transaction::commit() {
  if (auto committed = connection_->execute("COMMIT"); !committed) {
    return propagate(std::move(committed.error()), "commit transaction");
  }
  connection_ = nullptr;
  return {};
}

}  // namespace stratus::store::sqlite
