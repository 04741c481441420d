#include "client/exit_status.h"

#include "client/response.h"

namespace stratus::client {

ExitStatus exitStatusFor(const Error& error) {
  if (isTransportError(error)) return kExitUnreachable;
  if (error.code == kInvalidUrl) return kExitUsage;
  if (error.kind == ErrorKind::unauthorized) return kExitUnauthenticated;
  return kExitApiError;
}

std::string errorLine(const Error& error) {
  std::string line = "error: ";
  line += error.message.empty() ? "unknown error" : error.message;
  if (!error.code.empty()) line += " (" + error.code + ")";
  return line;
}

std::optional<std::string> hintFor(const Error& error) {
  if (error.kind == ErrorKind::unauthorized && !isTransportError(error)) {
    return "hint: run `stratus login EMAIL` to create an API key, or set STRATUS_API_KEY";
  }
  if (isTransportError(error)) {
    return "hint: is `stratus serve` running there? Point the CLI elsewhere with --url or "
           "STRATUS_URL";
  }
  return std::nullopt;
}

}  // namespace stratus::client
