#include "common/error.h"

#include <cstring>

namespace stratus {

std::string Error::describe() const {
  std::string out;
  for (auto it = context.rbegin(); it != context.rend(); ++it) {
    out += *it;
    out += ": ";
  }
  out += message;
  return out;
}

std::unexpected<Error> sysError(std::string what, int err) {
  return fail(ErrorKind::internal, "system_error", what + ": " + std::strerror(err));
}

int httpStatusOf(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_argument: return 400;
    case ErrorKind::unauthorized: return 401;
    case ErrorKind::forbidden: return 403;
    case ErrorKind::not_found: return 404;
    case ErrorKind::conflict: return 409;
    case ErrorKind::payload_too_large: return 413;
    case ErrorKind::rate_limited: return 429;
    case ErrorKind::internal: return 500;
    case ErrorKind::not_implemented: return 501;
    case ErrorKind::unavailable: return 503;
  }
  return 500;
}

}  // namespace stratus
