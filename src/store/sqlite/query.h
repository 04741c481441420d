// The three shapes every store query takes: one row, all rows, a change. Each prepares a
// cached statement and binds every value; SQL is always a constant.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "store/sqlite/connection.h"

namespace stratus::store::sqlite {

struct NotFound {
  const char* code;
  const char* message;
};

// The single row of `sql` mapped by `map`, or `missing` if there is none.
template <class T, class... Args>
Result<T> queryOne(Connection& connection, std::string_view sql, Result<T> (*map)(const Statement&),
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
template <class T, class... Args>
Result<std::vector<T>> queryAll(Connection& connection, std::string_view sql,
                                Result<T> (*map)(const Statement&), const Args&... args) {
  auto statement = connection.prepare(sql);
  if (!statement) return std::unexpected(std::move(statement.error()));
  statement->bindAll(args...);
  std::vector<T> rows;
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
template <class... Args>
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

// Adds the name of the store operation to a failure, for the log.
template <class T>
Result<T> within(const char* operation, Result<T> result) {
  if (!result) result.error().addContext(operation);
  return result;
}

}  // namespace stratus::store::sqlite
