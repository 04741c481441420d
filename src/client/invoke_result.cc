#include "client/invoke_result.h"

#include <boost/json/parse.hpp>
#include <optional>

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

// A header's value fit for one line of a terminal: the server's text, but never an escape
// sequence or a line break.
std::optional<std::string> headerText(const ClientResponse& response, std::string_view name) {
  auto value = response.header(name);
  if (!value || value->empty()) return std::nullopt;
  return oneLine(*value, 80);
}

std::string reportLine(const ClientResponse& response) {
  std::vector<std::string> parts;
  // Anything but true or false says nothing either way, so it is left out.
  if (auto cold = headerText(response, "X-Stratus-Cold-Start"); cold == "true") {
    parts.push_back("cold start");
  } else if (cold == "false") {
    parts.push_back("warm start");
  }
  if (auto duration = headerText(response, "X-Stratus-Duration-Ms")) {
    parts.push_back("duration " + *duration + " ms");
  }
  if (auto billed = headerText(response, "X-Stratus-Billed-Duration-Ms")) {
    parts.push_back("billed " + *billed + " ms");
  }
  if (auto id = headerText(response, "X-Stratus-Invocation-Id")) {
    parts.push_back("invocation " + *id);
  }
  std::string line;
  for (const auto& part : parts) line += (line.empty() ? "" : ", ") + part;
  return line;
}

// "the function failed (Unhandled): ZeroDivisionError: division by zero"
std::string functionErrorLine(std::string_view kind, std::string_view body) {
  std::string line = "the function failed";
  if (!kind.empty()) line += " (" + oneLine(kind, 40) + ")";
  boost::system::error_code error;
  auto parsed = boost::json::parse(body, error);
  if (error) return line;
  std::string type = text(parsed, "errorType"), message = text(parsed, "errorMessage");
  std::string detail = type.empty() ? message : message.empty() ? type : type + ": " + message;
  if (!detail.empty()) line += ": " + oneLine(detail, 200);
  return line;
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

InvokeOutcome interpretHandlerResponse(const ClientResponse& response) {
  InvokeOutcome outcome;
  outcome.stdoutText = response.body;
  if (!outcome.stdoutText.empty() && outcome.stdoutText.back() != '\n') outcome.stdoutText += '\n';
  if (std::string report = reportLine(response); !report.empty()) {
    outcome.notes.push_back("stratus: " + report);
  }
  if (auto kind = response.header("X-Stratus-Function-Error")) {
    outcome.notes.push_back("stratus: " + functionErrorLine(*kind, response.body));
    outcome.exitStatus = 1;  // as an uncaught exception ends a script
  }
  return outcome;
}

}  // namespace stratus::client
