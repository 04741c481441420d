#include "client/invoke_result.h"

#include "client/exit_status.h"
#include "client/format.h"

namespace stratus::client {
namespace {

bool flag(const boost::json::value& result, std::string_view key) {
  const auto& value = field(result, key);
  return value.is_bool() && value.get_bool();
}

std::string text(const boost::json::value& result, std::string_view key) {
  const auto& value = field(result, key);
  return value.is_string() ? std::string(value.get_string()) : std::string();
}

}  // namespace

InvokeOutcome interpretInvokeResult(const boost::json::value& result) {
  InvokeOutcome outcome;
  outcome.stdoutText = text(result, "stdout");
  outcome.stderrText = text(result, "stderr");

  const auto& status = field(result, "status");
  if (status.is_int64()) {
    std::int64_t code = status.get_int64();
    outcome.exitStatus = (code >= 0 && code <= 255) ? static_cast<int>(code) : 1;
  } else if (status.is_uint64()) {
    outcome.exitStatus = status.get_uint64() <= 255 ? static_cast<int>(status.get_uint64()) : 1;
  } else {
    outcome.exitStatus = 1;
    outcome.notes.push_back("stratus: the server did not report an exit status");
  }

  if (std::string error = text(result, "error"); !error.empty()) {
    outcome.notes.push_back("stratus: " + error);
    if (outcome.exitStatus == 0) outcome.exitStatus = 1;
  }
  if (flag(result, "timeout")) {
    std::string duration = formatDuration(field(result, "durationMs"));
    outcome.notes.push_back("stratus: the function timed out" +
                            (duration == "-" ? std::string() : " after " + duration));
    outcome.exitStatus = kExitFunctionTimedOut;
  }
  if (flag(result, "stdoutTruncated")) {
    outcome.notes.push_back("stratus: stdout was truncated by the server");
  }
  if (flag(result, "stderrTruncated")) {
    outcome.notes.push_back("stratus: stderr was truncated by the server");
  }
  return outcome;
}

}  // namespace stratus::client
