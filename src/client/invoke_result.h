// What `stratus invoke` does with the server's answer: which text goes to stdout and stderr,
// which notes to add, and the exit status (the function's own status, 124 on timeout, as
// timeout(1) does).
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <vector>

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

}  // namespace stratus::client
