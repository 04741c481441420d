// stratus_engine_bench: what a warm invocation through Stratus costs, side by side in one
// run with what it is judged against, each under the same load (wrk, 16 connections, on
// loopback):
//   - the static ceiling: Stratus's own HTTP server answering a fixed 200, no function;
//     the floor under every Stratus number (support/static_ceiling.cc)
//   - workerd (Cloudflare's runtime) serving a JavaScript hello world
//   - Stratus invoking a trivial Python and a trivial Node handler (mode "handler"),
//     POST /api/v1/functions/{name}/invoke with a JSON event and an API key
//   - the clone's route, GET /api/function/{userId}/cloud.calculator/sandbox?a=10&b=5,
//     against `docker run --rm` per call, the clone's way of running it
// and reported as ratios. A target that cannot run here says why; a target whose answers
// are errors shows how many and the first answer, and gets no ratio: an error answer is
// not a fast answer.
//
// Cold starts are not measured yet: see the measure*ColdStart functions below.
//
//   stratus_engine_bench [--seconds N] [--connections N] [--threads N] [--docker-calls N]
//                        [--only ceiling,workerd,python,node,clone,docker]
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/ceiling_server.h"
#include "support/child_process.h"
#include "support/docker_baseline.h"
#include "support/stratus_target.h"
#include "support/workerd_server.h"
#include "support/wrk.h"

namespace {
using namespace stratus;
using namespace stratus::bench;

struct Config {
  int seconds = 10;
  int connections = 16;
  int threads = 2;
  int dockerCalls = 20;
  std::set<std::string> only;  // empty: everything

  bool wants(const std::string& target) const { return only.empty() || only.contains(target); }
};

// One row of the report.
struct Measurement {
  std::string label;
  std::optional<WrkResult> wrk;
  std::string unavailable;  // why it was not measured; empty when it was
  std::string firstAnswer;  // when there were errors: one answer, to say why

  bool clean() const { return wrk && wrk->errors() == 0 && wrk->requests > 0; }
};

Measurement notAvailable(std::string label, std::string why) {
  return Measurement{std::move(label), std::nullopt, std::move(why), {}};
}

std::string describe(const Error& error) {
  std::string text = error.code + ": " + error.message;
  for (const auto& step : error.context) text = step + ": " + text;
  return text;
}

WrkOptions loadFor(const Config& config, std::string url) {
  WrkOptions options;
  options.url = std::move(url);
  options.seconds = config.seconds;
  options.connections = config.connections;
  options.threads = config.threads;
  return options;
}

// Runs wrk; on errors, asks once more by hand to show what the target answered.
Measurement measure(std::string label, const WrkOptions& options) {
  std::fprintf(stderr, "measuring %s: %s %s for %d s\n", label.c_str(), options.method.c_str(),
               options.url.c_str(), options.seconds);
  auto result = runWrk(options);
  if (!result) return notAvailable(std::move(label), describe(result.error()));
  Measurement m{std::move(label), *result, {}, {}};
  if (result->errors() > 0 || result->requests == 0) {
    auto probe = probeOnce(options);
    m.firstAnswer = probe ? std::to_string(probe->status) + " " + probe->body
                          : "no answer: " + describe(probe.error());
  }
  return m;
}

// --- The static ceiling and workerd --------------------------------------------------------

Measurement measureCeiling(const Config& config) {
  const std::string label = "static ceiling (stratus http, no function)";
  auto server = CeilingServer::start();
  if (!server) return notAvailable(label, describe(server.error()));
  return measure(label, loadFor(config, (*server)->url() + "/"));
}

Measurement measureWorkerd(const Config& config) {
  const std::string label = "workerd hello world (JS module worker)";
  if (!WorkerdServer::available()) return notAvailable(label, WorkerdServer::skipReason());
  auto server = WorkerdServer::start();
  if (!server) return notAvailable(label, describe(server.error()));
  return measure(label, loadFor(config, (*server)->url() + "/"));
}

// --- Stratus: warm handler invocations -----------------------------------------------------

struct HandlerFunction {
  std::string label, name, runtime, fileName, code;
};

HandlerFunction pythonHandler() {
  return {"stratus python handler (warm)", "bench-python", "python3.11", "hello.py",
          "def handler(event, context):\n    return {\"ok\": True}\n"};
}

HandlerFunction nodeHandler() {
  return {"stratus node handler (warm)", "bench-node", "nodejs20", "hello.js",
          "exports.handler = async (event, context) => ({ ok: true });\n"};
}

Measurement measureStratusHandler(const Config& config, const Result<StratusTarget>& stratus,
                                  const HandlerFunction& function) {
  if (!stratus) return notAvailable(function.label, describe(stratus.error()));
  // `mode` is being added to the API; a server without it refuses the field or ignores it,
  // and either way this is not a handler-mode measurement.
  auto deployed = deployFunction(*stratus, {.name = function.name,
                                            .runtime = function.runtime,
                                            .handler = "hello.handler",
                                            .mode = "handler",
                                            .fileName = function.fileName,
                                            .code = function.code});
  if (!deployed)
    return notAvailable(function.label,
                        "the server refused the handler-mode function: " + describe(deployed.error()));
  const auto* mode = deployed->if_contains("mode");
  if (!mode || !mode->is_string() || mode->as_string() != "handler") {
    std::string got = mode ? boost::json::serialize(*mode) : "no mode";
    return notAvailable(function.label,
                        "the server ignored mode=handler (the function was deployed with " + got +
                            "): handler mode is not available in this build");
  }
  WrkOptions options =
      loadFor(config, stratus->url() + "/api/v1/functions/" + function.name + "/invoke");
  options.method = "POST";
  options.body = R"({"source":"stratus-engine-bench","n":1})";
  options.headers = {{"Authorization", "Bearer " + stratus->account.apiKey},
                     {"Content-Type", "application/json"}};
  return measure(function.label, options);
}

// --- The clone's route and docker ------------------------------------------------------------

// Twice: under the same load as the other targets, and with one connection, whose latency
// is what compares with docker's calls made one after another.
std::vector<Measurement> measureCloneRoute(const Config& config,
                                           const Result<StratusTarget>& stratus) {
  const std::string label = "stratus clone route cloud.py (sandbox)";
  const std::string sequential = "stratus clone route, 1 connection";
  if (!stratus)
    return {notAvailable(label, describe(stratus.error())),
            notAvailable(sequential, describe(stratus.error()))};
  auto deployed = deployFunction(*stratus, {.name = "cloud",
                                            .runtime = "python3.11",
                                            .handler = "cloud.calculator",
                                            .fileName = "cloud.py",
                                            .code = readFile(e2e::sourcePath("examples/cloud.py"))});
  if (!deployed)
    return {notAvailable(label, describe(deployed.error())),
            notAvailable(sequential, describe(deployed.error()))};
  WrkOptions options = loadFor(config, stratus->url() + "/api/function/" +
                                           stratus->account.userId +
                                           "/cloud.calculator/sandbox?a=10&b=5");
  options.headers = {{"Authorization", "Bearer " + stratus->account.apiKey}};
  std::vector<Measurement> rows{measure(label, options)};
  options.threads = options.connections = 1;
  rows.push_back(measure(sequential, options));
  return rows;
}

struct DockerOutcome {
  std::optional<DockerTiming> timing;
  std::string unavailable;
};

DockerOutcome measureDocker(const Config& config) {
  auto docker = checkDocker();
  if (!docker.usable) return {std::nullopt, docker.reason};
  std::fprintf(stderr, "docker %s: preparing the host-python image\n",
               docker.serverVersion.c_str());
  auto image = ensurePythonImage();
  if (!image) return {std::nullopt, describe(image.error())};
  std::fprintf(stderr, "measuring docker run --rm (%s), %d calls\n", image->c_str(),
               config.dockerCalls);
  auto timing = timeDockerRuns(*image, e2e::sourcePath("examples"), "cloud.py", {"10", "5"},
                               "add: 15.0", config.dockerCalls);
  if (!timing) return {std::nullopt, describe(timing.error())};
  return {*timing, {}};
}

// --- Cold starts: to be written once the engine lands -----------------------------------
// Each should deploy (or update) a function so that no warm instance exists, then time the
// first invocation end to end, repeated enough for a median; workerd's counterpart is the
// first request after `workerd serve` reports its socket. Until then they report why not.

Measurement measurePythonColdStart(const Config&, const Result<StratusTarget>&) {
  return notAvailable("stratus python handler (cold start)", "not measured yet: needs the engine");
}

Measurement measureNodeColdStart(const Config&, const Result<StratusTarget>&) {
  return notAvailable("stratus node handler (cold start)", "not measured yet: needs the engine");
}

Measurement measureWorkerdColdStart(const Config&) {
  return notAvailable("workerd hello world (cold start)", "not measured yet");
}

// --- The report ------------------------------------------------------------------------------

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string ms(double microseconds) { return fixed(microseconds / 1000, 3); }

std::string ratio(double a, double b) { return b > 0 ? fixed(a / b, 3) + "x" : "-"; }

const Measurement* find(const std::vector<Measurement>& rows, const std::string& prefix) {
  for (const auto& row : rows)
    if (row.label.starts_with(prefix)) return &row;
  return nullptr;
}

void printTable(const std::vector<Measurement>& rows) {
  if (rows.empty()) return;
  const Measurement* workerd = find(rows, "workerd hello world (JS");
  const Measurement* ceiling = find(rows, "static ceiling");
  std::printf("\n%-44s %10s %9s %9s %9s %8s  %-17s %-17s\n", "target", "req/s", "p50 ms",
              "p99 ms", "requests", "errors", "vs workerd rps/p50", "vs ceiling rps/p50");
  std::printf("(ratios are this target / the baseline: above 1x, req/s is higher and p50 slower)\n");
  for (const auto& row : rows) {
    if (!row.wrk) {
      std::printf("%-44s n/a: %s\n", row.label.c_str(), row.unavailable.c_str());
      continue;
    }
    const WrkResult& r = *row.wrk;
    auto against = [&](const Measurement* base) -> std::string {
      if (!base || !base->clean() || !row.clean()) return "-";
      return ratio(r.requestsPerSecond, base->wrk->requestsPerSecond) + " / " +
             ratio(r.p50Us, base->wrk->p50Us);
    };
    std::printf("%-44s %10.0f %9s %9s %9llu %8llu  %-17s %-17s\n", row.label.c_str(),
                r.requestsPerSecond, ms(r.p50Us).c_str(), ms(r.p99Us).c_str(),
                static_cast<unsigned long long>(r.requests),
                static_cast<unsigned long long>(r.errors()), against(workerd).c_str(),
                against(ceiling).c_str());
  }
  for (const auto& row : rows) {
    if (!row.wrk || row.clean()) continue;
    const WrkResult& r = *row.wrk;
    std::printf(
        "  ! %s: %llu of %llu answers were errors (status >= 400: %llu, timeouts: %llu, "
        "socket connect/read/write: %llu/%llu/%llu); one answer: %s\n",
        row.label.c_str(), static_cast<unsigned long long>(r.errors()),
        static_cast<unsigned long long>(r.requests),
        static_cast<unsigned long long>(r.statusErrors),
        static_cast<unsigned long long>(r.timeouts),
        static_cast<unsigned long long>(r.connectErrors),
        static_cast<unsigned long long>(r.readErrors),
        static_cast<unsigned long long>(r.writeErrors), row.firstAnswer.c_str());
  }
}

void printOverhead(const std::vector<Measurement>& rows) {
  const Measurement* ceiling = find(rows, "static ceiling");
  if (!find(rows, "stratus python handler (warm)") && !find(rows, "stratus node handler (warm)"))
    return;
  std::printf("\nplatform overhead p50 (stratus p50 - ceiling p50):\n");
  for (const char* prefix : {"stratus python handler (warm)", "stratus node handler (warm)"}) {
    const Measurement* row = find(rows, prefix);
    if (!row) continue;
    if (!row->clean() || !ceiling || !ceiling->clean()) {
      std::printf("  %-40s n/a (%s)\n", prefix,
                  !row->wrk ? row->unavailable.c_str()
                  : !row->clean() ? "its answers were errors"
                                  : "no clean ceiling measurement");
      continue;
    }
    std::printf("  %-40s %s ms\n", prefix, ms(row->wrk->p50Us - ceiling->wrk->p50Us).c_str());
  }
}

void printDocker(const std::vector<Measurement>& rows, const DockerOutcome& docker,
                 const Config& config) {
  std::printf("\nclone route vs the clone's docker run --rm per call:\n");
  if (!docker.timing) {
    std::printf("  docker: skipped: %s\n", docker.unavailable.c_str());
  } else {
    const DockerTiming& t = *docker.timing;
    std::printf("  docker: %d calls one after another: median %.1f ms (min %.1f, mean %.1f, max "
                "%.1f) per call, i.e. %.1f calls/s\n    %s\n",
                t.calls, t.medianMs, t.minMs, t.meanMs, t.maxMs,
                t.medianMs > 0 ? 1000 / t.medianMs : 0, t.command.c_str());
  }
  const Measurement* loaded = find(rows, "stratus clone route cloud.py");
  const Measurement* sequential = find(rows, "stratus clone route, 1 connection");
  for (const Measurement* clone : {loaded, sequential}) {
    if (!clone || !clone->wrk) continue;
    if (!clone->clean()) {
      std::printf("  %s: its answers were errors, no ratio\n", clone->label.c_str());
      continue;
    }
    std::printf("  %s: p50 %s ms, %.1f req/s\n", clone->label.c_str(),
                ms(clone->wrk->p50Us).c_str(), clone->wrk->requestsPerSecond);
  }
  if (!docker.timing || docker.timing->medianMs <= 0) return;
  const double dockerPerSecond = 1000 / docker.timing->medianMs;
  // Latency: one call at a time on both sides. Throughput: stratus under load against
  // docker one call at a time, as the clone ran it (one container per request).
  if (sequential && sequential->clean())
    std::printf("  latency, docker median / stratus p50 (both one call at a time): %s\n",
                ratio(docker.timing->medianMs * 1000, sequential->wrk->p50Us).c_str());
  if (loaded && loaded->clean())
    std::printf("  throughput, stratus req/s (%d connections) / docker calls/s (one at a time): "
                "%s\n",
                config.connections, ratio(loaded->wrk->requestsPerSecond, dockerPerSecond).c_str());
}

int usage(const char* why) {
  std::fprintf(stderr,
               "stratus_engine_bench: %s\nusage: stratus_engine_bench [--seconds N] "
               "[--connections N] [--threads N] [--docker-calls N] [--only LIST]\n"
               "  LIST: comma-separated of ceiling,workerd,python,node,clone,docker\n",
               why);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Config config;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (i + 1 >= argc) return usage("missing value");
    std::string value = argv[++i];
    if (flag == "--seconds") config.seconds = std::atoi(value.c_str());
    else if (flag == "--connections") config.connections = std::atoi(value.c_str());
    else if (flag == "--threads") config.threads = std::atoi(value.c_str());
    else if (flag == "--docker-calls") config.dockerCalls = std::atoi(value.c_str());
    else if (flag == "--only") {
      std::stringstream list(value);
      for (std::string item; std::getline(list, item, ',');) config.only.insert(item);
    } else {
      return usage("unknown flag");
    }
  }
  if (config.seconds < 1 || config.connections < 1 || config.threads < 1 ||
      config.threads > config.connections || config.dockerCalls < 1)
    return usage("bad number");

  std::printf("stratus engine benchmark: wrk -t%d -c%d -d%ds on loopback, %ld CPUs shared by "
              "wrk and the target\n",
              config.threads, config.connections, config.seconds, ::sysconf(_SC_NPROCESSORS_ONLN));
  if (config.wants("workerd") && WorkerdServer::available())
    std::printf("workerd: %s\n", WorkerdServer::version().c_str());
  std::fflush(stdout);

  std::vector<Measurement> rows;
  if (config.wants("ceiling")) rows.push_back(measureCeiling(config));
  if (config.wants("workerd")) rows.push_back(measureWorkerd(config));

  const bool needsStratus = config.wants("python") || config.wants("node") || config.wants("clone");
  Result<StratusTarget> stratus =
      needsStratus ? startStratus()
                   : Result<StratusTarget>(std::unexpected(Error{ErrorKind::unavailable, "", "", {}}));
  if (config.wants("python")) rows.push_back(measureStratusHandler(config, stratus, pythonHandler()));
  if (config.wants("node")) rows.push_back(measureStratusHandler(config, stratus, nodeHandler()));
  if (config.wants("clone")) {
    for (auto& row : measureCloneRoute(config, stratus)) rows.push_back(std::move(row));
  }
  if (config.wants("python")) rows.push_back(measurePythonColdStart(config, stratus));
  if (config.wants("node")) rows.push_back(measureNodeColdStart(config, stratus));
  if (config.wants("workerd")) rows.push_back(measureWorkerdColdStart(config));
  if (stratus) stratus->server.reset();  // stopped before docker gets the CPUs

  DockerOutcome docker{std::nullopt, "not requested (--only)"};
  if (config.wants("docker")) docker = measureDocker(config);

  printTable(rows);
  printOverhead(rows);
  printDocker(rows, docker, config);
  return 0;
}
