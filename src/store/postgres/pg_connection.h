// RAII over libpq: a PgConnection owns a PGconn and the names of the statements it has
// prepared; a PgStatement runs one of them with its bound values and walks the rows; a
// PgTransaction rolls back unless committed. The shapes match the SQLite classes, so the
// shared store code (sql/) runs on either.
//
// Values travel as text parameters, never inside SQL. A PgConnection is used by one
// thread at a time (PgPool hands it out exclusively).
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "store/sql/sql_errors.h"

namespace stratus::store::postgres {

using sql::UniqueConflict;

struct ConnectionCloser {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
struct ResultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ConnectionHandle = std::unique_ptr<PGconn, ConnectionCloser>;
using ResultHandle = std::unique_ptr<PGresult, ResultClearer>;

// Maps a failed command to the store's error convention (metadata_store.h): unique
// violations -> conflict (a primary key's -> the generic "conflict"), foreign keys ->
// not_found, text the database cannot hold -> invalid_argument, a lost or refused
// connection and server shutdowns -> unavailable "storage_unavailable", anything else ->
// internal. The server's message goes into the context chain only.
Error postgresError(PGconn* connection, const PGresult* result, std::string_view step,
                    const UniqueConflict& unique = {});

// "postgres://user:secret@host/db" -> "postgres://user:***@host/db", for logs.
std::string redactUrl(std::string_view url);

// "SELECT ? WHERE a = ?" -> "SELECT $1 WHERE a = $2"; a '?' inside a quoted literal stays.
std::string numberPlaceholders(std::string_view sql);

class PgConnection;

class PgStatement {
 public:
  PgStatement(PgConnection& connection, std::string name)
      : connection_(&connection), name_(std::move(name)) {}

  template <class... Args>
  PgStatement& bindAll(const Args&... args) {
    (add(args), ...);
    return *this;
  }

  // Runs the statement on the first call; true while a row is available, false once done.
  Result<bool> step(const UniqueConflict& unique = {});
  Status run(const UniqueConflict& unique = {});

  std::string text(int column) const;
  int64_t int64(int column) const;
  int integer(int column) const { return static_cast<int>(int64(column)); }
  bool boolean(int column) const;
  bool isNull(int column) const;
  std::optional<int64_t> optionalInt64(int column) const;
  std::optional<int> optionalInt(int column) const;
  std::optional<std::string> optionalText(int column) const;

 private:
  void add(std::string_view value);
  void add(const std::string& value) { add(std::string_view(value)); }
  void add(const char* value) { add(std::string_view(value)); }
  void add(int64_t value) { values_.push_back(std::to_string(value)); }
  void add(int value) { values_.push_back(std::to_string(value)); }
  void add(bool value) { values_.push_back(value ? "true" : "false"); }
  template <class T>
  void add(const std::optional<T>& value) {
    if (value) {
      add(*value);
    } else {
      values_.push_back(std::nullopt);
    }
  }

  PgConnection* connection_;
  std::string name_;
  std::vector<std::optional<std::string>> values_;
  std::optional<Error> bindError_;
  ResultHandle result_;
  int row_ = -1;
  int rows_ = 0;
};

class PgConnection {
 public:
  using Statement = PgStatement;

  // `url` is a libpq connection URI or key=value string. Failure is unavailable.
  static Result<std::unique_ptr<PgConnection>> open(const std::string& url, int connectTimeoutS);

  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs constant SQL (BEGIN/COMMIT, migrations), possibly several statements.
  Status execute(const char* sql);
  // The statement for `sql`, prepared on the server the first time this connection sees it.
  Result<PgStatement> prepare(std::string_view sql);
  // Rows changed by the last INSERT/UPDATE/DELETE run through a PgStatement.
  int64_t changes() const { return changes_; }

  // Whether the connection can still be used. An idle connection whose server went away
  // (restart, failover) has a readable socket; this notices that without a round trip.
  bool healthy();
  // Whether it is idle outside any transaction, as a connection must be to be reused.
  bool idle() const { return PQtransactionStatus(handle_.get()) == PQTRANS_IDLE; }
  PGconn* raw() const { return handle_.get(); }

 private:
  friend class PgStatement;
  explicit PgConnection(ConnectionHandle handle) : handle_(std::move(handle)) {}

  ConnectionHandle handle_;
  std::map<std::string, std::string, std::less<>> prepared_;  // SQL -> statement name
  int64_t changes_ = 0;
};

// BEGIN ... COMMIT, rolled back on destruction unless committed. Row locks that UPDATE
// takes inside it serialise racing writers (see sql_accounts.h, sql_functions.h).
class PgTransaction {
 public:
  static Result<PgTransaction> begin(PgConnection& connection);
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;
  PgTransaction(PgTransaction&& other) noexcept
      : connection_(std::exchange(other.connection_, nullptr)) {}
  PgTransaction& operator=(PgTransaction&&) = delete;
  ~PgTransaction();

  Status commit();

 private:
  explicit PgTransaction(PgConnection& connection) : connection_(&connection) {}
  PgConnection* connection_;
};

}  // namespace stratus::store::postgres
