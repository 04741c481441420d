// The three shapes every store query takes: one row, all rows, a change. Each prepares a
// cached statement and binds every value; SQL is always a constant, written with `?`
// placeholders (the PostgreSQL connection numbers them).
//
// Generic over the backend: a Connection has prepare(sql) -> Result<Statement> and
// changes(); a Statement has bindAll(...), step(unique) and run(unique), and the column
// readers the row mappers in rows.h use.
#pragma once

#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/error.h"
#include "store/sql/sql_errors.h"

namespace stratus::store::sql {

template <class Connection, class Map>
using RowResult = std::invoke_result_t<Map&, const typename Connection::Statement&>;

// The single row of `sql` mapped by `map`, or `missing` if there is none.
template <class Connection, class Map, class... Args>
RowResult<Connection, Map> queryOne(Connection& connection, std::string_view sql, Map map,
                                    const NotFound& missing, const Args&... args) {
  auto statement = connection.prepare(sql);
  if (!statement) return std::unexpected(std::move(statement.error()));
  statement->bindAll(args...);
  auto row = statement->step();
  if (!row) return std::unexpected(std::move(row.error()));
  if (!*row) return fail(ErrorKind::not_found, missing.code, missing.message);
  return map(*statement);
}

// Every row of `sql`, in the order the SQL gives.
template <class Connection, class Map, class... Args>
Result<std::vector<typename RowResult<Connection, Map>::value_type>> queryAll(
    Connection& connection, std::string_view sql, Map map, const Args&... args) {
  auto statement = connection.prepare(sql);
  if (!statement) return std::unexpected(std::move(statement.error()));
  statement->bindAll(args...);
  std::vector<typename RowResult<Connection, Map>::value_type> rows;
  while (true) {
    auto row = statement->step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) break;
    auto mapped = map(*statement);
    if (!mapped) return std::unexpected(std::move(mapped.error()));
    rows.push_back(std::move(*mapped));
  }
  return rows;
}

// Runs an INSERT/UPDATE/DELETE and returns how many rows it changed.
template <class Connection, class... Args>
Result<int64_t> change(Connection& connection, std::string_view sql, const UniqueConflict& unique,
                       const Args&... args) {
  auto statement = connection.prepare(sql);
  if (!statement) return std::unexpected(std::move(statement.error()));
  statement->bindAll(args...);
  if (auto ran = statement->run(unique); !ran) return std::unexpected(std::move(ran.error()));
  return connection.changes();
}

// A change that must touch a row: none touched is `missing` (not_found).
inline Status expectChanged(Result<int64_t> changed, const NotFound& missing) {
  if (!changed) return std::unexpected(std::move(changed.error()));
  if (*changed == 0) return fail(ErrorKind::not_found, missing.code, missing.message);
  return {};
}

// A change for which touching no row is fine (deleting what is already gone).
inline Status ignoreCount(Result<int64_t> changed) {
  if (!changed) return std::unexpected(std::move(changed.error()));
  return {};
}

// A foreign-key failure names no table; the caller knows which parent was missing.
inline Status parentMustExist(Status status, const NotFound& parent) {
  if (!status && status.error().kind == ErrorKind::not_found) {
    status.error().code = parent.code;
    status.error().message = parent.message;
  }
  return status;
}

// Adds the name of the store operation to a failure, for the log.
template <class T>
Result<T> within(const char* operation, Result<T> result) {
  if (!result) result.error().addContext(operation);
  return result;
}

}  // namespace stratus::store::sql
