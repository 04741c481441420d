// RAII over the SQLite C API: one Connection owns a sqlite3* and a cache of prepared
// statements; a Statement is a borrowed, bound, resettable view of one cached statement;
// a Transaction rolls back unless committed. Every value reaches SQL as a bound parameter.
//
// A Connection is not thread-safe: exactly one thread may use it (and any Statement
// borrowed from it) at a time. ConnectionPool (connection_pool.h) enforces that.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/error.h"
#include "store/sql/sql_errors.h"

namespace stratus::store::sqlite {

struct DatabaseCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using DatabaseHandle = std::unique_ptr<sqlite3, DatabaseCloser>;
using StatementHandle = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

using sql::UniqueConflict;

// Maps an SQLite result code to the store's error convention (metadata_store.h):
// unique violations -> conflict, foreign keys -> not_found, busy/locked/cannot open ->
// unavailable, anything else -> internal. SQLite's own message goes into the context
// chain only, never into the message.
Error sqliteError(sqlite3* db, int resultCode, std::string_view step,
                  const UniqueConflict& unique = {});

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept
      : db_(other.db_), statement_(std::exchange(other.statement_, nullptr)) {}
  Statement& operator=(Statement&&) = delete;
  // The statement stays in the connection's cache: give it back clean.
  ~Statement();

  // Binds parameters 1..N in order.
  template <class... Args>
  Statement& bindAll(const Args&... args) {
    int index = 1;
    (bind(index++, args), ...);
    return *this;
  }
  void bind(int index, std::string_view value);
  void bind(int index, const std::string& value) { bind(index, std::string_view(value)); }
  void bind(int index, const char* value) { bind(index, std::string_view(value)); }
  void bind(int index, int64_t value);
  void bind(int index, int value) { bind(index, static_cast<int64_t>(value)); }
  void bind(int index, bool value) { bind(index, static_cast<int64_t>(value ? 1 : 0)); }
  void bind(int index, std::nullopt_t);
  template <class T>
  void bind(int index, const std::optional<T>& value) {
    if (value) {
      bind(index, *value);
    } else {
      bind(index, std::nullopt);
    }
  }

  // true while a row is available, false once done.
  Result<bool> step(const UniqueConflict& unique = {});
  // Runs a statement that returns no rows.
  Status run(const UniqueConflict& unique = {});

  std::string text(int column) const;
  int64_t int64(int column) const { return sqlite3_column_int64(statement_, column); }
  int integer(int column) const { return sqlite3_column_int(statement_, column); }
  bool boolean(int column) const { return int64(column) != 0; }
  bool isNull(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }
  std::optional<int64_t> optionalInt64(int column) const;
  std::optional<int> optionalInt(int column) const;
  std::optional<std::string> optionalText(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_;
};

struct ConnectionOptions {
  int busyTimeoutMs = 5000;
  bool readOnly = false;  // PRAGMA query_only: a reader that tries to write fails loudly
};

class Connection {
 public:
  using Statement = sqlite::Statement;
  static Result<Connection> open(const std::string& file, const ConnectionOptions& options);

  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;
  // Statements must be finalized before the database closes.
  ~Connection() {
    statements_.clear();
    db_.reset();
  }

  // Runs one or more constant statements (pragmas, migrations, BEGIN/COMMIT).
  // Never pass text that contains a value: values go through prepare() and bind.
  Status execute(const char* sql);
  // A cached prepared statement, reset and unbound.
  Result<Statement> prepare(std::string_view sql);
  // Rows changed by the last INSERT/UPDATE/DELETE on this connection.
  int64_t changes() const { return sqlite3_changes64(db_.get()); }
  sqlite3* raw() const { return db_.get(); }

 private:
  explicit Connection(DatabaseHandle db) : db_(std::move(db)) {}

  DatabaseHandle db_;
  std::map<std::string, StatementHandle, std::less<>> statements_;
};

// BEGIN IMMEDIATE takes the write lock up front, so the busy timeout applies to it rather
// than to a later read-to-write upgrade (which SQLite fails at once with SQLITE_BUSY).
// Rolls back on destruction unless committed.
class Transaction {
 public:
  static Result<Transaction> begin(Connection& connection);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Transaction(Transaction&& other) noexcept
      : connection_(std::exchange(other.connection_, nullptr)) {}
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  Status commit();

 private:
  explicit Transaction(Connection& connection) : connection_(&connection) {}
  Connection* connection_;
};

}  // namespace stratus::store::sqlite
