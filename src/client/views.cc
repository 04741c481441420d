#include "client/views.h"

#include "client/format.h"
#include "client/settings.h"

namespace stratus::client {
namespace {

constexpr std::size_t kExcerptChars = 60;

const boost::json::array& arrayField(const boost::json::value& value, std::string_view key) {
  static const boost::json::array empty;
  const auto& found = field(value, key);
  return found.is_array() ? found.get_array() : empty;
}

std::string withUnit(const boost::json::value& value, std::string_view unit) {
  std::string text = scalarText(value);
  return text == "-" ? text : text + std::string(unit);
}

}  // namespace

std::string functionsTable(const boost::json::value& response) {
  std::vector<TableRow> rows;
  for (const auto& function : arrayField(response, "functions")) {
    rows.push_back({
        scalarText(field(function, "name")),
        scalarText(field(function, "runtime")),
        scalarText(field(function, "currentVersion")),
        withUnit(field(function, "timeout"), "s"),
        withUnit(field(function, "memory"), "MB"),
        scalarText(field(function, "public")),
        formatTimestamp(field(function, "updatedAt")),
    });
  }
  return renderTable({"NAME", "RUNTIME", "VERSION", "TIMEOUT", "MEMORY", "PUBLIC", "UPDATED"},
                     rows);
}

std::string invocationStatus(const boost::json::value& invocation) {
  const auto& timedOut = field(invocation, "timedOut");
  if (timedOut.is_bool() && timedOut.get_bool()) return "timeout";
  std::string status = scalarText(field(invocation, "status"));
  const auto& exitCode = field(invocation, "exitCode");
  bool nonZeroExit = (exitCode.is_int64() && exitCode.get_int64() != 0) ||
                     (exitCode.is_uint64() && exitCode.get_uint64() != 0);
  if (nonZeroExit) {
    if (status == "-") status = "error";
    status += " (exit " + scalarText(exitCode) + ")";
  }
  return status;
}

std::string invocationsTable(const boost::json::value& response) {
  std::vector<TableRow> rows;
  for (const auto& invocation : arrayField(response, "invocations")) {
    std::string duration = formatDuration(field(invocation, "durationMs"));
    const auto& cold = field(invocation, "coldStart");
    if (cold.is_bool() && cold.get_bool()) duration += " (cold)";
    std::string excerpt = scalarText(field(invocation, "logExcerpt"));
    const auto& error = field(invocation, "error");
    if (error.is_string() && !error.get_string().empty()) {
      excerpt = std::string(error.get_string()) + (excerpt == "-" ? "" : " | " + excerpt);
    }
    rows.push_back({
        formatTimestamp(field(invocation, "startedAt")),
        invocationStatus(invocation),
        duration,
        excerpt == "-" ? excerpt : oneLine(excerpt, kExcerptChars),
    });
  }
  return renderTable({"TIME", "STATUS", "DURATION", "EXCERPT"}, rows);
}

std::string apiKeysTable(const boost::json::value& response) {
  std::vector<TableRow> rows;
  for (const auto& key : arrayField(response, "apiKeys")) {
    bool revoked = !field(key, "revokedAt").is_null();
    rows.push_back({
        scalarText(field(key, "id")),
        scalarText(field(key, "name")),
        scalarText(field(key, "prefix")),
        formatTimestamp(field(key, "createdAt")),
        formatTimestamp(field(key, "lastUsedAt")),
        revoked ? "revoked " + formatTimestamp(field(key, "revokedAt")) : "active",
    });
  }
  return renderTable({"ID", "NAME", "PREFIX", "CREATED", "LAST USED", "STATUS"}, rows);
}

std::string functionSummary(const boost::json::value& function) {
  std::string out;
  auto line = [&](std::string_view label, std::string value) {
    out += "  ";
    out += label;
    out.append(label.size() < 12 ? 12 - label.size() : 1, ' ');
    out += value;
    out += '\n';
  };
  line("runtime", scalarText(field(function, "runtime")));
  line("handler", scalarText(field(function, "handler")));
  line("mode", scalarText(field(function, "mode")));
  line("version", scalarText(field(function, "currentVersion")));
  line("timeout", withUnit(field(function, "timeout"), "s"));
  line("memory", withUnit(field(function, "memory"), "MB"));
  // null is a real value here (no reservation); a server without the field shows "-".
  const bool unreserved = function.is_object() && function.get_object().contains("concurrency") &&
                          field(function, "concurrency").is_null();
  line("concurrency", unreserved ? "unreserved" : scalarText(field(function, "concurrency")));
  line("prewarm", scalarText(field(function, "prewarm")));
  line("public", scalarText(field(function, "public")));
  line("invoke URL", scalarText(field(function, "invokeUrl")));
  return out;
}

std::string exportLines(std::string_view url, std::string_view apiKey) {
  return "export " + std::string(kUrlVariable) + "=" + shellQuote(url) + "\n" + "export " +
         std::string(kApiKeyVariable) + "=" + shellQuote(apiKey) + "\n";
}

}  // namespace stratus::client
