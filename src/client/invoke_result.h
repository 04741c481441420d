// What `stratus invoke` does with the server's answer: which text goes to stdout and stderr,
// which notes to add, and the exit status (a script's own status, 124 on timeout, as
// timeout(1) does; for a handler, 1 when it raised).
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "client/response.h"

namespace stratus::client {

struct InvokeOutcome {
  std::string stdoutText;
  std::string stderrText;
  std::vector<std::string> notes;  // for stderr, one line each, without newline
  int exitStatus = 0;
};

// From {"status","stdout","stderr","timeout","durationMs","stdoutTruncated",
// "stderrTruncated","error"?}. A status outside 0..255 (a signal, or a value the shell
// cannot carry) becomes 1 so a failure never reads as success.
InvokeOutcome interpretInvokeResult(const boost::json::value& result);

// A handler-mode answer (2xx). The body is the handler's return value, or with
// X-Stratus-Function-Error its error ({"errorType","errorMessage","stackTrace"}); either
// goes to stdout as the server sent it, so it can be piped on, and a raised error also
// gets a note and exit status 1. One note reports X-Stratus-Cold-Start, -Duration-Ms,
// -Billed-Duration-Ms and -Invocation-Id, as Lambda's REPORT line does; a header that is
// missing is left out of it.
InvokeOutcome interpretHandlerResponse(const ClientResponse& response);

}  // namespace stratus::client
