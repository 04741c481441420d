// stratus_web_bench: what the dashboard costs the server, side by side in one run with the
// server's cheapest route, each under the same load (wrk, 16 connections, on loopback), and
// reported as ratios to it:
//   - /healthz, the baseline: a few bytes of JSON, no store, no auth
//   - the dashboard's files, served from memory: index.html at / and at an app route, the
//     largest asset (the script bundle), and that asset revalidated (If-None-Match: 304)
//   - the API reads behind the dashboard's pages, for a function with --calls recorded
//     invocations: the functions list with and without ?include=stats (the list page),
//     the metrics for 1 h and 24 h, and the first page of invocations (the function page)
// The dashboard must be built (the `web` target puts it next to the binary).
//
//   stratus_web_bench [--seconds N] [--connections N] [--calls N]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "client/http_client.h"
#include "support/stratus_target.h"
#include "support/wrk.h"

namespace stratus::bench {
namespace {

namespace fs = std::filesystem;

struct Config {
  int seconds = 8;
  int connections = 16;
  int calls = 2000;
};

struct Row {
  std::string label;
  WrkOptions options;
  std::optional<WrkResult> result;
  std::string failure;
};

const char* kHandler = "def handler(event, context):\n    return {'ok': True}\n";

// The largest file under assets/ of the built dashboard: the script bundle.
std::optional<std::string> largestAsset(const fs::path& webDir) {
  std::optional<std::string> best;
  std::uintmax_t bestSize = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(webDir / "assets", ec)) {
    if (entry.is_regular_file() && entry.file_size() > bestSize) {
      bestSize = entry.file_size();
      best = entry.path().filename().string();
    }
  }
  return best;
}

int run(const Config& config) {
  const fs::path webDir = fs::path(STRATUS_BINARY).parent_path().parent_path() / "web";
  if (!fs::exists(webDir / "index.html")) {
    std::printf("skipped: the dashboard is not built next to the binary (the `web` target)\n");
    return 0;
  }
  auto asset = largestAsset(webDir);
  if (!asset) {
    std::printf("skipped: the built dashboard has no assets/\n");
    return 1;
  }
  auto target = startStratus();
  if (!target) {
    std::fprintf(stderr, "cannot start stratus: %s\n", target.error().describe().c_str());
    return 1;
  }
  auto deployed = deployFunction(*target, {"bench", "python3.11", "bench.handler", "handler",
                                           "bench.py", kHandler, "", ""});
  if (!deployed) {
    std::fprintf(stderr, "cannot deploy: %s\n", deployed.error().describe().c_str());
    return 1;
  }
  // Recorded invocations for the stats, metrics and invocation pages to read.
  client::HttpClient http(target->url(), target->account.apiKey);
  for (int i = 0; i < config.calls; ++i) {
    auto answer = http.postJson("/api/v1/functions/bench/invoke", {{"n", i}});
    if (!answer || answer->status != 200) {
      std::fprintf(stderr, "invocation %d failed\n", i);
      return 1;
    }
  }

  // The ETag of the asset, for the revalidation row.
  auto first = http.get("/assets/" + *asset);
  std::string etag;
  if (auto value = first ? first->header("etag") : std::nullopt) etag = std::string(*value);

  const std::string base = target->url();
  const std::vector<std::pair<std::string, std::string>> auth{
      {"Authorization", "Bearer " + target->account.apiKey}};
  std::vector<Row> rows = {
      {"/healthz (baseline)", {base + "/healthz"}},
      {"index.html at /", {base + "/"}},
      {"index.html at /functions/bench", {base + "/functions/bench"}},
      {"largest asset (" + *asset + ")", {base + "/assets/" + *asset}},
      {"largest asset, If-None-Match (304)", {base + "/assets/" + *asset}},
      {"GET /api/v1/functions", {base + "/api/v1/functions"}},
      {"GET /api/v1/functions?include=stats", {base + "/api/v1/functions?include=stats"}},
      {"GET .../bench/metrics?window=1h", {base + "/api/v1/functions/bench/metrics?window=1h"}},
      {"GET .../bench/metrics?window=24h", {base + "/api/v1/functions/bench/metrics?window=24h"}},
      {"GET .../bench/invocations?limit=50", {base + "/api/v1/functions/bench/invocations?limit=50"}},
  };
  rows[4].options.headers.push_back({"If-None-Match", etag});
  for (std::size_t i = 5; i < rows.size(); ++i) rows[i].options.headers = auth;

  for (auto& row : rows) {
    row.options.seconds = config.seconds;
    row.options.connections = config.connections;
    auto result = runWrk(row.options);
    if (!result) {
      row.failure = result.error().describe();
    } else if (result->errors() > 0) {
      auto probe = probeOnce(row.options);
      row.failure = std::to_string(result->errors()) + " errors; one answer: " +
                    (probe ? std::to_string(probe->status) + " " + probe->body : "none");
    } else {
      row.result = *result;
    }
    std::fprintf(stderr, "measured %s\n", row.label.c_str());
  }

  std::printf("\nwrk, %d connections, %d s each; %d recorded invocations of one function\n\n",
              config.connections, config.seconds, config.calls);
  std::printf("%-46s %12s %10s %10s %22s\n", "target", "req/s", "p50 ms", "p99 ms",
              "vs baseline (rps/p50)");
  const WrkResult* baseline = rows[0].result ? &*rows[0].result : nullptr;
  for (const auto& row : rows) {
    if (!row.result) {
      std::printf("%-46s %s\n", row.label.c_str(), row.failure.c_str());
      continue;
    }
    const WrkResult& r = *row.result;
    char versus[64] = "-";
    if (baseline && &r != baseline)
      std::snprintf(versus, sizeof versus, "%.2fx / %.2fx",
                    r.requestsPerSecond / baseline->requestsPerSecond, r.p50Us / baseline->p50Us);
    std::printf("%-46s %12.0f %10.3f %10.3f %22s\n", row.label.c_str(), r.requestsPerSecond,
                r.p50Us / 1000, r.p99Us / 1000, versus);
  }
  if (rows[5].result && rows[6].result)
    std::printf("\nthe list page's statistics cost: %.2fx the plain list's p50\n",
                rows[6].result->p50Us / rows[5].result->p50Us);
  return 0;
}

}  // namespace
}  // namespace stratus::bench

int main(int argc, char** argv) {
  stratus::bench::Config config;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const int value = std::atoi(argv[i + 1]);
    if (flag == "--seconds") config.seconds = value;
    else if (flag == "--connections") config.connections = value;
    else if (flag == "--calls") config.calls = value;
    else {
      std::fprintf(stderr, "usage: stratus_web_bench [--seconds N] [--connections N] [--calls N]\n");
      return 2;
    }
  }
  return stratus::bench::run(config);
}
