// The one error convention (STYLE §5): every path that untrusted input or I/O can fail
// returns Result<T>. An Error carries a kind (which decides the HTTP status), a stable
// machine-readable code ("invalid_timeout"), a human message, and a context chain that
// callers add to as the error travels up ("unpack code" -> "read zip entry").
#pragma once

#include <expected>
#include <string>
#include <utility>
#include <vector>

namespace stratus {

enum class ErrorKind {
  invalid_argument,   // 400: the caller sent something we refuse
  unauthorized,       // 401: no or bad credentials
  forbidden,          // 403: credentials fine, action not allowed
  not_found,          // 404
  conflict,           // 409
  payload_too_large,  // 413
  rate_limited,       // 429
  internal,           // 500: a bug or an unexpected host failure; details stay in the log
  not_implemented,    // 501
  unavailable,        // 503: a dependency (database, executor) is down
};

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string code;     // stable, snake_case, part of the API
  std::string message;  // for humans; never contains secrets, paths or SQL for 5xx
  std::vector<std::string> context;  // innermost first

  Error& addContext(std::string step) & {
    context.push_back(std::move(step));
    return *this;
  }
  Error&& addContext(std::string step) && {
    context.push_back(std::move(step));
    return std::move(*this);
  }
  // "outer: inner: message" — for logs, not for API responses.
  std::string describe() const;
};

template <class T>
using Result = std::expected<T, Error>;
using Status = Result<void>;

inline std::unexpected<Error> fail(ErrorKind kind, std::string code, std::string message) {
  return std::unexpected(Error{kind, std::move(code), std::move(message), {}});
}
inline std::unexpected<Error> invalid(std::string code, std::string message) {
  return fail(ErrorKind::invalid_argument, std::move(code), std::move(message));
}
inline std::unexpected<Error> internalError(std::string message) {
  return fail(ErrorKind::internal, "internal", std::move(message));
}
// Wraps an errno failure of a host call: "mount /proc: Operation not permitted".
std::unexpected<Error> sysError(std::string what, int err);

// Re-raise an error of an inner Result with an extra context step.
inline std::unexpected<Error> propagate(Error error, std::string step) {
  error.addContext(std::move(step));
  return std::unexpected(std::move(error));
}

int httpStatusOf(ErrorKind kind);

}  // namespace stratus
