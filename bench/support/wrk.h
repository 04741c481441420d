// Load with wrk: a fixed number of connections for a fixed time, on loopback. Throughput
// and latency percentiles come from bench/support/wrk_report.lua, which prints them as one
// machine-readable line, so nothing depends on wrk's human summary (whose units change
// with magnitude: "812.50us", "1.20ms").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"

namespace stratus::bench {

struct WrkOptions {
  std::string url;  // the whole URL, query included
  std::string method = "GET";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int seconds = 10;
  int threads = 2;
  int connections = 16;
  int timeoutSeconds = 10;  // an answer slower than this counts as a timeout
};

struct WrkResult {
  uint64_t requests = 0;  // completed, whatever their status
  double seconds = 0;
  double requestsPerSecond = 0;
  double p50Us = 0, p99Us = 0, meanUs = 0, maxUs = 0;
  uint64_t statusErrors = 0;  // answers with status >= 400
  uint64_t connectErrors = 0, readErrors = 0, writeErrors = 0, timeouts = 0;

  uint64_t errors() const {
    return statusErrors + connectErrors + readErrors + writeErrors + timeouts;
  }
};

// The "STRATUS-WRK ..." line in wrk's output, parsed. invalid_argument when it is missing
// or malformed (wrk failed before its done() hook ran).
Result<WrkResult> parseWrkReport(std::string_view output);

// Runs wrk. An Error when wrk is missing, failed, or printed no report; a run whose every
// answer was a 500 is a result (see statusErrors), not an Error.
Result<WrkResult> runWrk(const WrkOptions& options);

// One request like those wrk will send, answered: to show why a target fails instead of
// only how often.
struct ProbeResult {
  long status = 0;
  std::string body;  // the start of it
};
Result<ProbeResult> probeOnce(const WrkOptions& options);

}  // namespace stratus::bench
