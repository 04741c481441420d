// The CLI's exit statuses and its one-line error messages. Scripts rely on these numbers,
// so they are part of the CLI's interface.
#pragma once

#include <optional>
#include <string>

#include "common/error.h"

namespace stratus::client {

enum ExitStatus : int {
  kExitOk = 0,
  kExitApiError = 1,            // the server refused or failed the request
  kExitUsage = 2,               // bad flags, missing or unreadable file, bad URL
  kExitUnreachable = 3,         // no HTTP answer: connection refused, DNS, timeout
  kExitUnauthenticated = 4,     // 401, or no API key configured
  kExitFunctionTimedOut = 124,  // `stratus invoke`: the function hit its timeout (as timeout(1))
};

// For an error from HttpClient or errorFromResponse: transport -> 3, invalid_url -> 2,
// unauthorized -> 4, anything else -> 1. Errors found locally before any request are usage
// errors; the caller picks kExitUsage for those.
ExitStatus exitStatusFor(const Error& error);

// "error: <message> (<code>)"
std::string errorLine(const Error& error);

// A second line telling the user what to do next, for the errors where there is something
// obvious: not authenticated, server unreachable.
std::optional<std::string> hintFor(const Error& error);

}  // namespace stratus::client
