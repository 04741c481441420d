#include "support/wrk.h"

#include <charconv>
#include <map>

#include "client/http_client.h"
#include "support/child_process.h"

namespace stratus::bench {
namespace {

constexpr std::string_view kReportTag = "STRATUS-WRK ";

std::string luaScriptPath() {
  return std::string(STRATUS_SOURCE_DIR) + "/bench/support/wrk_report.lua";
}

std::string firstLines(const std::string& text, std::size_t maxChars = 400) {
  return text.size() <= maxChars ? text : text.substr(0, maxChars) + "...";
}

}  // namespace

Result<WrkResult> parseWrkReport(std::string_view output) {
  std::size_t at = output.find(kReportTag);
  if (at == std::string_view::npos) return invalid("wrk_no_report", "wrk printed no report line");
  std::string_view line = output.substr(at + kReportTag.size());
  line = line.substr(0, line.find('\n'));
  std::map<std::string, double, std::less<>> fields;
  while (!line.empty()) {
    std::string_view token = line.substr(0, line.find(' '));
    line.remove_prefix(std::min(line.size(), token.size() + 1));
    if (token.empty()) continue;
    auto equals = token.find('=');
    if (equals == std::string_view::npos)
      return invalid("wrk_bad_report", "malformed report field: " + std::string(token));
    double value = 0;
    std::string_view number = token.substr(equals + 1);
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc() || end != number.data() + number.size())
      return invalid("wrk_bad_report", "malformed report value: " + std::string(token));
    fields[std::string(token.substr(0, equals))] = value;
  }
  for (const char* required : {"requests", "duration_us", "p50_us", "p99_us", "mean_us", "max_us",
                               "status_errors", "connect_errors", "read_errors", "write_errors",
                               "timeouts"}) {
    if (!fields.contains(required))
      return invalid("wrk_bad_report", std::string("report lacks ") + required);
  }
  auto count = [&](const char* name) { return static_cast<uint64_t>(fields[name]); };
  WrkResult result;
  result.requests = count("requests");
  result.seconds = fields["duration_us"] / 1e6;
  result.requestsPerSecond = result.seconds > 0 ? double(result.requests) / result.seconds : 0;
  result.p50Us = fields["p50_us"];
  result.p99Us = fields["p99_us"];
  result.meanUs = fields["mean_us"];
  result.maxUs = fields["max_us"];
  result.statusErrors = count("status_errors");
  result.connectErrors = count("connect_errors");
  result.readErrors = count("read_errors");
  result.writeErrors = count("write_errors");
  result.timeouts = count("timeouts");
  return result;
}

Result<WrkResult> runWrk(const WrkOptions& options) {
  if (!findExecutable("wrk"))
    return fail(ErrorKind::unavailable, "wrk_missing",
                "wrk is not installed; run scripts/install-bench-deps.sh");
  ScratchDir scratch("stratus-wrk");
  const auto bodyFile = scratch.path() / "body";
  if (!options.body.empty()) {
    if (auto ok = writeFile(bodyFile, options.body); !ok) return std::unexpected(ok.error());
  }
  std::vector<std::string> argv{"wrk",
                                "-t" + std::to_string(options.threads),
                                "-c" + std::to_string(options.connections),
                                "-d" + std::to_string(options.seconds) + "s",
                                "--timeout",
                                std::to_string(options.timeoutSeconds) + "s",
                                "--latency",
                                "-s",
                                luaScriptPath()};
  for (const auto& [name, value] : options.headers) {
    argv.push_back("-H");
    argv.push_back(name + ": " + value);
  }
  argv.push_back(options.url);
  argv.push_back("--");
  argv.push_back(options.method);
  argv.push_back(options.body.empty() ? "" : bodyFile.string());
  auto run = runCommand(argv, std::chrono::seconds(options.seconds + options.timeoutSeconds + 30));
  if (!run) return std::unexpected(run.error());
  if (run->timedOut || run->exitCode != 0)
    return internalError("wrk exited with " + std::to_string(run->exitCode) + ": " +
                         firstLines(run->err + run->out));
  auto parsed = parseWrkReport(run->out);
  if (!parsed) return propagate(parsed.error(), "read wrk's report: " + firstLines(run->out));
  return parsed;
}

Result<ProbeResult> probeOnce(const WrkOptions& options) {
  client::HttpClient http(options.url);
  http.setTimeout(std::chrono::seconds(options.timeoutSeconds));
  client::HeaderList headers;
  std::string contentType;
  for (const auto& [name, value] : options.headers) {
    if (name == "Content-Type") contentType = value;
    else headers.emplace_back(name, value);
  }
  auto response = http.request(options.method, options.url, options.body, contentType, headers);
  if (!response) return std::unexpected(response.error());
  return ProbeResult{response->status, firstLines(response->body, 300)};
}

}  // namespace stratus::bench
