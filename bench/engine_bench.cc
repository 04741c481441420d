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
// and reported as ratios. The ceiling, the handlers and the clone route are measured again
// with one connection: their latency without queueing, the platform's own cost per call
// (under 16 connections a p50 is mostly time spent waiting for the CPUs). A target that
// cannot run here says why; a target whose answers are errors shows how many and the first
// answer, and gets no ratio: an error answer is not a fast answer.
//
// Each load run is preceded by an unmeasured one (--warmup seconds), so the warm numbers do
// not include the instances the first connections had to start.
//
// Then cold starts, each a series of samples reported as nearest-rank p50 and p99:
//   - the first invocation of a freshly deployed function (a new function per sample, so
//     no instance of it exists), timed by the client on a kept-alive connection, with the
//     server's X-Stratus-Init-Duration-Ms; Python and Node, on the server as it runs by
//     default (ready sandboxes on) and on one started with --ready-sandboxes 0
//   - the first invocation of a function deployed with prewarm=1, once /metrics shows its
//     instance started (no instance starting, one more idle): not a cold start at all; and
//     again --prewarm-settle-ms after that, since an instance counts as idle in /metrics
//     once its sandbox is up, while the runtime inside may still be loading the handler
//   - workerd, from spawning `workerd serve` to the first answered request
//   - the Python handler deployed with executor=docker (a container per instance; at most
//     10 samples, each starts one)
// Samples are spaced (--cold-spacing-ms) so the ready pool refills between them, and each
// sample's function is deleted after it, so its instance goes too.
//
// The docker executor (issue 6) is measured like the sandbox: the Python handler deployed
// with executor=docker, warm under the common load and with one connection, the clone route
// on /docker with one connection, and its cold starts; then compared, as ratios, with the
// sandbox executor and with `docker run --rm` per call.
//
//   stratus_engine_bench [--seconds N] [--connections N] [--threads N] [--docker-calls N]
//                        [--warmup N] [--cold-samples N] [--cold-spacing-ms N]
//                        [--prewarm-settle-ms N]
//                        [--only ceiling,workerd,python,node,clone,docker,docker-executor]
// In --only, workerd, python, node and docker-executor mean both their warm and cold
// measurements; workerd-warm, python-cold and the like pick one. docker is `docker run
// --rm`, docker-executor the server's docker executor.
//   stratus_engine_bench --hold SECONDS    a server with both handlers, kept up for a profiler
//                                          (STRATUS_BENCH_SERVE_ARGS: more `stratus serve`
//                                          flags for it, e.g. "--io-threads 1")
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "client/http_client.h"
#include "support/ceiling_server.h"
#include "support/child_process.h"
#include "support/cold_start.h"
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
  int warmupSeconds = 5;     // an unmeasured wrk run before each measured one; 0: none
  int coldSamples = 30;      // per cold-start series; 0: no cold starts
  int coldSpacingMs = 150;   // between two samples, for the ready pool to refill
  // Pre-warmed: a second series pauses this long between /metrics showing the instance and
  // the call, for the runtime inside to finish its own start; 0: no second series.
  int prewarmSettleMs = 500;
  int holdSeconds = 0;       // > 0: only start a server with the handlers and wait (profiling)
  std::set<std::string> only;  // empty: everything

  bool wants(const std::string& target) const { return only.empty() || only.contains(target); }
  bool wantsWarm(const std::string& target) const {
    return wants(target) || only.contains(target + "-warm");
  }
  bool wantsCold(const std::string& target) const {
    return coldSamples > 0 && (wants(target) || only.contains(target + "-cold"));
  }
};

// One row of the report.
struct Measurement {
  std::string label;
  std::optional<WrkResult> wrk;
  std::string unavailable;  // why it was not measured; empty when it was
  std::string firstAnswer;  // when there were errors: one answer, to say why
  std::string note;         // what else the report should say about it; empty: nothing

  bool clean() const { return wrk && wrk->errors() == 0 && wrk->requests > 0; }
};

Measurement notAvailable(std::string label, std::string why) {
  return Measurement{std::move(label), std::nullopt, std::move(why), {}, {}};
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

// An unmeasured wrk run of `seconds` (none when 0).
void warmUp(const std::string& label, const WrkOptions& options, int seconds) {
  if (seconds <= 0) return;
  WrkOptions warmup = options;
  warmup.seconds = seconds;
  std::fprintf(stderr, "warming up %s for %d s\n", label.c_str(), seconds);
  (void)runWrk(warmup);  // whatever it saw, the measured run sees again
}

// Runs wrk (first unmeasured for `warmupSeconds`); on errors, asks once more by hand to
// show what the target answered.
Measurement measure(std::string label, const WrkOptions& options, int warmupSeconds) {
  warmUp(label, options, warmupSeconds);
  std::fprintf(stderr, "measuring %s: %s %s for %d s\n", label.c_str(), options.method.c_str(),
               options.url.c_str(), options.seconds);
  auto result = runWrk(options);
  if (!result) return notAvailable(std::move(label), describe(result.error()));
  Measurement m{std::move(label), *result, {}, {}, {}};
  if (result->errors() > 0 || result->requests == 0) {
    auto probe = probeOnce(options);
    m.firstAnswer = probe ? std::to_string(probe->status) + " " + probe->body
                          : "no answer: " + describe(probe.error());
  }
  return m;
}

// --- The static ceiling and workerd --------------------------------------------------------

// Also with one connection: the floor under the one-connection handler latencies, whose
// difference is the platform's overhead per call without queueing in it.
std::vector<Measurement> measureCeiling(const Config& config) {
  const std::string label = "static ceiling (stratus http, no function)";
  const std::string sequential = "static ceiling, 1 connection";
  auto server = CeilingServer::start();
  if (!server)
    return {notAvailable(label, describe(server.error())),
            notAvailable(sequential, describe(server.error()))};
  WrkOptions options = loadFor(config, (*server)->url() + "/");
  std::vector<Measurement> rows{measure(label, options, config.warmupSeconds)};
  options.threads = options.connections = 1;
  rows.push_back(measure(sequential, options, 0));
  return rows;
}

Measurement measureWorkerd(const Config& config) {
  const std::string label = "workerd hello world (JS module worker)";
  if (!WorkerdServer::available()) return notAvailable(label, WorkerdServer::skipReason());
  auto server = WorkerdServer::start();
  if (!server) return notAvailable(label, describe(server.error()));
  return measure(label, loadFor(config, (*server)->url() + "/"), config.warmupSeconds);
}

// --- Stratus: warm handler invocations -----------------------------------------------------

struct HandlerFunction {
  std::string label, sequentialLabel, name, runtime, fileName, code;
  std::string executor;  // empty: not sent (the server's default, the sandbox)
};

HandlerFunction pythonHandler() {
  return {"stratus python handler (warm)", "stratus python handler, 1 connection", "bench-python",
          "python3.11", "hello.py", "def handler(event, context):\n    return {\"ok\": True}\n"};
}

HandlerFunction nodeHandler() {
  return {"stratus node handler (warm)", "stratus node handler, 1 connection", "bench-node",
          "nodejs20", "hello.js", "exports.handler = async (event, context) => ({ ok: true });\n"};
}

// The same Python handler in a warm Docker container instead of a sandbox.
HandlerFunction pythonDockerHandler() {
  HandlerFunction function = pythonHandler();
  function.label = "docker executor python handler (warm)";
  function.sequentialLabel = "docker executor python handler, 1 connection";
  function.name = "bench-python-docker";
  function.executor = "docker";
  return function;
}

// Why a function deployed with executor=`wanted` is not on it (a server that does not know
// the field ignores it, and the numbers would be the sandbox's); nullopt when it is, or
// when no executor was asked for.
std::optional<std::string> executorIgnored(const boost::json::object& function,
                                           const std::string& wanted) {
  if (wanted.empty()) return std::nullopt;
  const auto* executor = function.if_contains("executor");
  if (executor && executor->is_string() && executor->as_string() == wanted) return std::nullopt;
  std::string got = executor ? boost::json::serialize(*executor) : "no executor";
  return "the server ignored executor=" + wanted + " (the function was deployed with " + got + ")";
}

// One call like wrk's, before the load: a target that cannot answer (no docker daemon, no
// runtime image) says why once, instead of as thousands of fast error answers. Nullopt when
// it answered 200 with `expect` in its body.
std::optional<std::string> firstCallFails(const WrkOptions& options, const std::string& expect) {
  auto probe = probeOnce(options);
  if (!probe) return "the first call got no answer: " + describe(probe.error());
  if (probe->status == 200 && probe->body.find(expect) != std::string::npos) return std::nullopt;
  return "the first call answered " + std::to_string(probe->status) + " " + probe->body;
}

// Until /metrics shows no instance starting or busy and no invocation queued, or `limit`
// passes: how long that took. Busy counts too: a container counts as started once it runs,
// while the runtime inside is still loading and the request that asked for it still waits.
Result<double> waitUntilSettled(const StratusTarget& stratus, std::chrono::seconds limit) {
  const auto started = std::chrono::steady_clock::now();
  for (;;) {
    auto metrics = fetchMetrics(stratus);
    if (!metrics) return std::unexpected(metrics.error());
    auto starting = metricValue(*metrics, "stratus_pool_instances", {{"state", "starting"}});
    auto busy = metricValue(*metrics, "stratus_pool_instances", {{"state", "busy"}});
    auto queued = metricValue(*metrics, "stratus_pool_queue_depth");
    if (!starting || !busy || !queued)
      return internalError("/metrics has no stratus_pool_instances or stratus_pool_queue_depth");
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (*starting == 0 && *busy == 0 && *queued == 0) return seconds;
    if (seconds > double(limit.count()))
      return fail(ErrorKind::unavailable, "not_settled",
                  "instances were still starting or busy after " +
                      std::to_string(limit.count()) + " s");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

// stratus_cold_starts_total on `executor`, every runtime: the instances it started so far.
std::optional<double> instancesStarted(const StratusTarget& stratus, const std::string& executor) {
  auto metrics = fetchMetrics(stratus);
  if (!metrics) return std::nullopt;
  return metricValue(*metrics, "stratus_cold_starts_total", {{"executor", executor}}).value_or(0);
}

// measure() for instances that start slowly, containers: when the warmup ends, its requests
// that asked for a new instance may still wait for it, many containers starting at once
// being slower still (seconds each on a small host). The measured run would then go on with
// fewer connections than it has, since wrk counts nothing for a request in flight at its
// end, and share the CPUs with the starts. So the measured run waits for the starts to end,
// and the row says how many there were, how long they took, and whether the measured run
// started more.
Measurement measureSettled(std::string label, const WrkOptions& options, int warmupSeconds,
                           const StratusTarget& stratus, const std::string& executor) {
  const auto before = instancesStarted(stratus, executor);
  warmUp(label, options, warmupSeconds);
  auto settled = waitUntilSettled(stratus, std::chrono::seconds(120));
  const auto warmed = instancesStarted(stratus, executor);
  Measurement m = measure(std::move(label), options, 0);
  const auto after = instancesStarted(stratus, executor);
  char text[200] = "";
  if (before && warmed && *warmed > *before)
    std::snprintf(text, sizeof text, "the warmup started %.0f %s instances; ", *warmed - *before,
                  executor.c_str());
  m.note = text;
  if (!settled) {
    m.note += "measured with instances still starting: " + describe(settled.error());
  } else if (*settled >= 0.5 || !m.note.empty()) {
    std::snprintf(text, sizeof text, "waited %.1f s before measuring, until none was starting "
                  "or busy", *settled);
    m.note += text;
  }
  if (warmed && after && *after > *warmed) {
    std::snprintf(text, sizeof text, "%sthe measured run started %.0f more (measured with starts "
                  "in it)", m.note.empty() ? "" : "; ", *after - *warmed);
    m.note += text;
  }
  return m;
}

// Under the common load, then with one connection (the call's latency without queueing).
std::vector<Measurement> measureStratusHandler(const Config& config,
                                               const Result<StratusTarget>& stratus,
                                               const HandlerFunction& function) {
  const std::string sequential = function.sequentialLabel;
  auto bothUnavailable = [&](const std::string& why) -> std::vector<Measurement> {
    return {notAvailable(function.label, why), notAvailable(sequential, why)};
  };
  if (!stratus) return bothUnavailable(describe(stratus.error()));
  // `mode` is being added to the API; a server without it refuses the field or ignores it,
  // and either way this is not a handler-mode measurement.
  auto deployed = deployFunction(*stratus, {.name = function.name,
                                            .runtime = function.runtime,
                                            .handler = "hello.handler",
                                            .mode = "handler",
                                            .fileName = function.fileName,
                                            .code = function.code,
                                            .executor = function.executor});
  if (!deployed)
    return bothUnavailable("the server refused the handler-mode function: " +
                           describe(deployed.error()));
  const auto* mode = deployed->if_contains("mode");
  if (!mode || !mode->is_string() || mode->as_string() != "handler") {
    std::string got = mode ? boost::json::serialize(*mode) : "no mode";
    return bothUnavailable("the server ignored mode=handler (the function was deployed with " +
                           got + "): handler mode is not available in this build");
  }
  if (auto why = executorIgnored(*deployed, function.executor)) return bothUnavailable(*why);
  WrkOptions options =
      loadFor(config, stratus->url() + "/api/v1/functions/" + function.name + "/invoke");
  options.method = "POST";
  options.body = R"({"source":"stratus-engine-bench","n":1})";
  options.headers = {{"Authorization", "Bearer " + stratus->account.apiKey},
                     {"Content-Type", "application/json"}};
  // Only off the sandbox: the sandbox rows stay measured exactly as before.
  if (!function.executor.empty()) {
    if (auto why = firstCallFails(options, "\"ok\"")) return bothUnavailable(*why);
    std::vector<Measurement> rows{
        measureSettled(function.label, options, config.warmupSeconds, *stratus,
                       function.executor)};
    options.threads = options.connections = 1;
    rows.push_back(measureSettled(sequential, options, 0, *stratus, function.executor));
    return rows;
  }
  std::vector<Measurement> rows{measure(function.label, options, config.warmupSeconds)};
  options.threads = options.connections = 1;
  rows.push_back(measure(sequential, options, 0));  // warm already
  return rows;
}

// --- The clone's route and docker ------------------------------------------------------------

// The clone's example, cloud.py, deployed as `name` in script mode (the server's default).
Result<boost::json::object> deployCloud(const StratusTarget& stratus, const std::string& name,
                                        const std::string& executor = "") {
  return deployFunction(stratus, {.name = name,
                                  .runtime = "python3.11",
                                  .handler = "cloud.calculator",
                                  .fileName = "cloud.py",
                                  .code = readFile(e2e::sourcePath("examples/cloud.py")),
                                  .executor = executor});
}

// Twice: under the same load as the other targets, and with one connection, whose latency
// is what compares with docker's calls made one after another.
std::vector<Measurement> measureCloneRoute(const Config& config,
                                           const Result<StratusTarget>& stratus) {
  const std::string label = "stratus clone route cloud.py (sandbox)";
  const std::string sequential = "stratus clone route, 1 connection";
  if (!stratus)
    return {notAvailable(label, describe(stratus.error())),
            notAvailable(sequential, describe(stratus.error()))};
  auto deployed = deployCloud(*stratus, "cloud");
  if (!deployed)
    return {notAvailable(label, describe(deployed.error())),
            notAvailable(sequential, describe(deployed.error()))};
  WrkOptions options = loadFor(config, stratus->url() + "/api/function/" +
                                           stratus->account.userId +
                                           "/cloud.calculator/sandbox?a=10&b=5");
  options.headers = {{"Authorization", "Bearer " + stratus->account.apiKey}};
  std::vector<Measurement> rows{measure(label, options, config.warmupSeconds)};
  options.threads = options.connections = 1;
  rows.push_back(measure(sequential, options, 0));  // warm already
  return rows;
}

// The docker executor, warm: the Python handler under the common load and with one
// connection, then the clone route on /docker with one connection, the latency that
// compares with `docker run --rm` per call. Its functions are deleted after, so their idle
// containers neither hold memory of the pool's budget nor run during the cold starts.
std::vector<Measurement> measureDockerExecutorWarm(const Config& config,
                                                   const Result<StratusTarget>& stratus) {
  const HandlerFunction handler = pythonDockerHandler();
  std::vector<Measurement> rows = measureStratusHandler(config, stratus, handler);
  const std::string label = "docker executor clone route, 1 connection";
  if (!stratus) {
    rows.push_back(notAvailable(label, describe(stratus.error())));
    return rows;
  }
  (void)deleteFunction(*stratus, handler.name);
  // A function of its own, called by name: a second function with handler cloud.calculator
  // would make that handler ambiguous on the route. The route's segment picks the executor
  // of a script-mode function; executor=docker says the same at the deploy.
  const std::string name = "cloud-docker";
  auto deployed = deployCloud(*stratus, name, "docker");
  if (!deployed) {
    rows.push_back(notAvailable(label, describe(deployed.error())));
    return rows;
  }
  WrkOptions options = loadFor(config, stratus->url() + "/api/function/" +
                                           stratus->account.userId + "/" + name +
                                           "/docker?a=10&b=5");
  options.headers = {{"Authorization", "Bearer " + stratus->account.apiKey}};
  options.threads = options.connections = 1;
  if (auto why = executorIgnored(*deployed, "docker")) {
    rows.push_back(notAvailable(label, *why));
  } else if (auto fails = firstCallFails(options, "add: 15.0")) {
    rows.push_back(notAvailable(label, *fails));
  } else {
    rows.push_back(measureSettled(label, options, config.warmupSeconds, *stratus, "docker"));
  }
  (void)deleteFunction(*stratus, name);
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

// --- Cold starts -------------------------------------------------------------------------------

// One series of samples of a first call.
struct ColdSeries {
  std::string label;
  std::string unavailable;        // why it was not measured; empty when it was
  bool stratus = true;            // false: workerd (no cold-start header, no pools)
  bool expectCold = true;         // false: pre-warmed, the call should find an instance
  double targetMs = 0;            // the issue's target for the client-side p50; 0: none
  int asked = 0;
  std::vector<double> clientMs;   // the first call, as the client timed it
  std::vector<double> initMs;     // X-Stratus-Init-Duration-Ms (workerd: spawn to listening)
  std::vector<double> waitMs;     // pre-warmed: deploy until /metrics showed the instance
  int settleMs = 0;               // pre-warmed: then this long before the call
  std::vector<double> secondMs;   // the call right after the first, on the same instance
  int coldAnswers = 0;            // X-Stratus-Cold-Start: true
  int failures = 0;
  std::string firstFailure;
  std::optional<double> fromReady, fromNew;  // stratus_cold_starts_total gained, by source

  void failed(const std::string& why) {
    ++failures;
    if (firstFailure.empty()) firstFailure = why;
  }
};

ColdSeries coldNotAvailable(std::string label, std::string why) {
  ColdSeries series;
  series.label = std::move(label);
  series.unavailable = std::move(why);
  return series;
}

double millisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

struct FirstCall {
  double clientMs = 0;
  bool cold = false;
  std::optional<double> initMs;
};

// One invocation on `http`'s kept-alive connection, timed around the request, checked to
// be the handler's own answer ({"ok": true}).
Result<FirstCall> timeFirstCall(client::HttpClient& http, const std::string& name) {
  const auto started = std::chrono::steady_clock::now();
  auto answer = http.request("POST", "/api/v1/functions/" + name + "/invoke",
                             R"({"source":"stratus-engine-bench","n":1})", "application/json");
  FirstCall call;
  call.clientMs = millisSince(started);
  if (!answer) return propagate(answer.error(), "invoke " + name);
  const std::string said = std::to_string(answer->status) + " " + answer->body.substr(0, 200);
  if (answer->status != 200 || answer->header("x-stratus-function-error"))
    return internalError("invoke " + name + " answered " + said);
  boost::system::error_code ec;
  auto body = boost::json::parse(answer->body, ec);
  const auto* ok = !ec && body.is_object() ? body.as_object().if_contains("ok") : nullptr;
  if (!ok || !ok->is_bool() || !ok->as_bool())
    return internalError("invoke " + name + " answered " + said);
  call.cold = answer->header("x-stratus-cold-start") == std::optional<std::string_view>("true");
  if (auto init = answer->header("x-stratus-init-duration-ms"))
    call.initMs = std::strtod(std::string(*init).c_str(), nullptr);
  return call;
}

std::optional<double> poolInstances(const std::string& metrics, const std::string& state) {
  return metricValue(metrics, "stratus_pool_instances", {{"state", state}});
}

// After a deploy with prewarm=1: until /metrics shows no instance starting and one more
// idle than `idleBefore` (or, should another idle instance have expired meanwhile, an
// instance seen starting and then none). The milliseconds it took.
Result<double> waitForPrewarmed(const StratusTarget& stratus, double idleBefore,
                                std::chrono::steady_clock::time_point deployed) {
  bool sawStarting = false;
  while (millisSince(deployed) < 10000) {
    auto metrics = fetchMetrics(stratus);
    if (!metrics) return std::unexpected(metrics.error());
    auto starting = poolInstances(*metrics, "starting");
    auto idle = poolInstances(*metrics, "idle");
    if (!starting || !idle)
      return internalError("/metrics has no stratus_pool_instances{state=starting|idle}");
    if (*starting > 0) sawStarting = true;
    else if (*idle >= idleBefore + 1 || sawStarting) return millisSince(deployed);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return fail(ErrorKind::unavailable, "not_prewarmed",
              "no pre-warmed instance showed in /metrics within 10 s of the deploy");
}

// `samples` functions deployed one after another, each invoked once, then deleted.
ColdSeries measureHandlerColdStarts(const Config& config, const Result<StratusTarget>& stratus,
                                    const HandlerFunction& function, std::string label,
                                    const std::string& namePrefix, bool prewarm,
                                    double targetMs, int settleMs = 0) {
  if (!stratus) return coldNotAvailable(std::move(label), describe(stratus.error()));
  ColdSeries series;
  series.label = std::move(label);
  series.expectCold = !prewarm;
  series.targetMs = targetMs;
  series.settleMs = settleMs;
  std::fprintf(stderr, "measuring %s: %d samples, %d ms apart\n", series.label.c_str(),
               config.coldSamples, config.coldSpacingMs);
  auto coldStarts = [&](const std::string& source) -> std::optional<double> {
    auto metrics = fetchMetrics(*stratus);
    if (!metrics) return std::nullopt;
    return metricValue(*metrics, "stratus_cold_starts_total",
                       {{"runtime", function.runtime}, {"source", source}})
        .value_or(0);
  };
  const auto readyBefore = coldStarts("ready"), newBefore = coldStarts("new");
  client::HttpClient http(stratus->url(), stratus->account.apiKey);
  (void)http.get("/healthz");  // the connection is open before the first sample
  const std::string comment = function.runtime.starts_with("python") ? "# " : "// ";
  int failedInARow = 0;
  for (int i = 0; i < config.coldSamples && failedInARow < 3; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(config.coldSpacingMs));
    ++series.asked;
    ++failedInARow;
    // Code of its own per sample: its first call also unpacks code nobody ran before.
    FunctionSource source{.name = namePrefix + "-" + std::to_string(i),
                          .runtime = function.runtime,
                          .handler = "hello.handler",
                          .mode = "handler",
                          .fileName = function.fileName,
                          .code = function.code + comment + "sample " + std::to_string(i) + "\n",
                          .prewarm = prewarm ? "1" : "",
                          .executor = function.executor};
    double idleBefore = 0;
    if (prewarm) {
      auto metrics = fetchMetrics(*stratus);
      auto idle = metrics ? poolInstances(*metrics, "idle") : std::nullopt;
      if (!idle) {
        series.failed(metrics ? "/metrics has no stratus_pool_instances{state=\"idle\"}"
                              : describe(metrics.error()));
        continue;
      }
      idleBefore = *idle;
    }
    const auto deployStarted = std::chrono::steady_clock::now();
    auto deployed = deployFunction(*stratus, source);
    if (!deployed) {
      series.failed(describe(deployed.error()));
      continue;
    }
    if (auto why = executorIgnored(*deployed, function.executor)) {
      series.failed(*why);
      (void)deleteFunction(*stratus, source.name);
      continue;
    }
    if (prewarm) {
      auto waited = waitForPrewarmed(*stratus, idleBefore, deployStarted);
      if (!waited) {
        series.failed(describe(waited.error()));
        (void)deleteFunction(*stratus, source.name);
        continue;
      }
      series.waitMs.push_back(*waited);
      if (settleMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(settleMs));
    }
    auto call = timeFirstCall(http, source.name);
    // The same call again, warm: what the first one cost beyond a warm call is the start.
    auto second = call ? timeFirstCall(http, source.name) : call;
    if (auto deleted = deleteFunction(*stratus, source.name); !deleted)
      std::fprintf(stderr, "  (could not delete %s: %s)\n", source.name.c_str(),
                   describe(deleted.error()).c_str());
    if (!call) {
      series.failed(describe(call.error()));
      continue;
    }
    failedInARow = 0;
    series.clientMs.push_back(call->clientMs);
    if (second && !second->cold) series.secondMs.push_back(second->clientMs);
    if (call->initMs) series.initMs.push_back(*call->initMs);
    if (call->cold) ++series.coldAnswers;
  }
  if (failedInARow >= 3) series.failed("stopped after 3 failed samples in a row");
  const auto readyAfter = coldStarts("ready"), newAfter = coldStarts("new");
  if (readyBefore && readyAfter) series.fromReady = *readyAfter - *readyBefore;
  if (newBefore && newAfter) series.fromNew = *newAfter - *newBefore;
  return series;
}

// The same first calls on their own server, started with --ready-sandboxes 0 (and stopped
// when done): no sandbox made ahead, every cold start builds one.
std::vector<ColdSeries> measureColdStartsWithoutPool(const Config& config) {
  std::vector<ColdSeries> rows;
  const bool python = config.wantsCold("python"), node = config.wantsCold("node");
  if (!python && !node) return rows;
  std::fprintf(stderr, "starting a second stratus server with --ready-sandboxes 0\n");
  Result<StratusTarget> bare = startStratus({"--ready-sandboxes", "0"});
  if (python)
    rows.push_back(measureHandlerColdStarts(config, bare, pythonHandler(),
                                            "stratus python, --ready-sandboxes 0",
                                            "cold-python-bare", false, 0));
  if (node)
    rows.push_back(measureHandlerColdStarts(config, bare, nodeHandler(),
                                            "stratus node, --ready-sandboxes 0",
                                            "cold-node-bare", false, 0));
  return rows;
}

// workerd started `samples` times: spawn to its first answered request (and, in the init
// columns, spawn to its report of a listening socket). Informational: workerd runs one
// process for all its workers, so this is a server's start, not a function's.
ColdSeries measureWorkerdColdStarts(const Config& config) {
  const std::string label = "workerd, spawn to first answer";
  if (!WorkerdServer::available()) return coldNotAvailable(label, WorkerdServer::skipReason());
  ColdSeries series;
  series.label = label;
  series.stratus = false;
  std::fprintf(stderr, "measuring %s: %d samples\n", label.c_str(), config.coldSamples);
  for (int i = 0; i < config.coldSamples; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(config.coldSpacingMs));
    ++series.asked;
    auto server = WorkerdServer::start();
    if (!server) {
      series.failed(describe(server.error()));
      if (series.failures >= 3 && series.clientMs.empty()) break;
      continue;
    }
    series.clientMs.push_back((*server)->answeredMs());
    series.initMs.push_back((*server)->listeningMs());
  }
  return series;
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
  for (const auto& row : rows)
    if (!row.note.empty()) std::printf("  %s: %s\n", row.label.c_str(), row.note.c_str());
}

void printOverhead(const std::vector<Measurement>& rows) {
  if (!find(rows, "stratus python handler") && !find(rows, "stratus node handler")) return;
  std::printf("\nplatform overhead p50 (stratus p50 - ceiling p50, same connection count):\n");
  for (const char* prefix : {"stratus python handler (warm)", "stratus node handler (warm)",
                             "stratus python handler, 1 connection",
                             "stratus node handler, 1 connection"}) {
    const Measurement* row = find(rows, prefix);
    const Measurement* ceiling = find(rows, std::string(prefix).ends_with("1 connection")
                                                ? "static ceiling, 1 connection"
                                                : "static ceiling (");
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

std::string msOrDash(const std::vector<double>& samples, double Percentiles::*field) {
  if (samples.empty()) return "-";
  return fixed(summarise(samples).*field, 3);
}

void printColdStarts(const std::vector<ColdSeries>& series, const Config& config) {
  if (series.empty()) return;
  std::printf("\ncold starts: %d samples per series, %d ms apart; the client's time for the first "
              "call on a kept-alive connection;\nnearest-rank percentiles (below 100 samples p99 is "
              "the slowest); init = X-Stratus-Init-Duration-Ms; 2nd = the call right after the first,\n"
              "warm; ready/new = cold starts that took a ready sandbox / built a new one:\n",
              config.coldSamples, config.coldSpacingMs);
  std::printf("%-40s %7s %7s %9s %9s %9s %9s %9s %9s %10s  %s\n", "series", "ok/n", "cold",
              "p50 ms", "p99 ms", "mean ms", "init p50", "init p99", "2nd p50", "ready/new",
              "issue target (p50)");
  for (const auto& row : series) {
    if (!row.unavailable.empty()) {
      std::printf("%-40s n/a: %s\n", row.label.c_str(), row.unavailable.c_str());
      continue;
    }
    std::string ok = std::to_string(row.clientMs.size()) + "/" + std::to_string(row.asked);
    std::string cold = row.stratus ? std::to_string(row.coldAnswers) + "/" +
                                         std::to_string(row.clientMs.size())
                                   : "-";
    std::string sources = row.fromReady && row.fromNew && row.expectCold
                              ? fixed(*row.fromReady, 0) + "/" + fixed(*row.fromNew, 0)
                              : "-";
    std::string verdict = "-";
    if (row.targetMs > 0 && !row.clientMs.empty()) {
      double p50 = summarise(row.clientMs).p50;
      verdict = "< " + fixed(row.targetMs, 0) + " ms: " + (p50 < row.targetMs ? "met" : "NOT met");
    }
    std::printf("%-40s %7s %7s %9s %9s %9s %9s %9s %9s %10s  %s\n", row.label.c_str(),
                ok.c_str(), cold.c_str(), msOrDash(row.clientMs, &Percentiles::p50).c_str(),
                msOrDash(row.clientMs, &Percentiles::p99).c_str(),
                msOrDash(row.clientMs, &Percentiles::mean).c_str(),
                msOrDash(row.initMs, &Percentiles::p50).c_str(),
                msOrDash(row.initMs, &Percentiles::p99).c_str(),
                msOrDash(row.secondMs, &Percentiles::p50).c_str(), sources.c_str(),
                verdict.c_str());
  }
  for (const auto& row : series) {
    if (!row.unavailable.empty()) continue;
    if (!row.waitMs.empty())
      std::printf("  %s: deploy until /metrics showed the instance idle: p50 %s ms, p99 %s ms; "
                  "then %d ms before the call\n",
                  row.label.c_str(), msOrDash(row.waitMs, &Percentiles::p50).c_str(),
                  msOrDash(row.waitMs, &Percentiles::p99).c_str(), row.settleMs);
    if (!row.stratus)
      std::printf("  %s: the init columns hold spawn until workerd reported its socket\n",
                  row.label.c_str());
    if (row.stratus && !row.expectCold && row.coldAnswers > 0)
      std::printf("  ! %s: %d first calls were cold starts all the same\n", row.label.c_str(),
                  row.coldAnswers);
    if (row.stratus && row.expectCold &&
        row.coldAnswers < static_cast<int>(row.clientMs.size()))
      std::printf("  ! %s: %zu first calls found a warm instance\n", row.label.c_str(),
                  row.clientMs.size() - static_cast<std::size_t>(row.coldAnswers));
    if (row.failures > 0)
      std::printf("  ! %s: %d samples failed; the first: %s\n", row.label.c_str(), row.failures,
                  row.firstFailure.c_str());
    if (row.failures == 0 && row.asked < config.coldSamples)
      std::printf("  %s: %d samples, not %d\n", row.label.c_str(), row.asked,
                  config.coldSamples);
  }
}

// --- The docker executor against the sandbox and `docker run --rm` ---------------------------

// A figure for a ratio, in milliseconds, or why there is none.
struct Figure {
  std::optional<double> ms;
  std::string why;
};

Figure warmP50(const std::vector<Measurement>& rows, const std::string& label) {
  const Measurement* row = find(rows, label);
  if (!row) return {std::nullopt, "\"" + label + "\" not measured (--only)"};
  if (!row->wrk) return {std::nullopt, "\"" + label + "\": " + row->unavailable};
  if (!row->clean())
    return {std::nullopt, "\"" + label + "\": its answers were errors: " + row->firstAnswer};
  return {row->wrk->p50Us / 1000, {}};
}

Figure coldP50(const std::vector<ColdSeries>& cold, const std::string& label) {
  for (const auto& row : cold) {
    if (row.label != label) continue;
    if (!row.unavailable.empty()) return {std::nullopt, "\"" + label + "\": " + row.unavailable};
    if (row.clientMs.empty())
      return {std::nullopt, "\"" + label + "\": no sample answered: " + row.firstFailure};
    return {summarise(row.clientMs).p50, {}};
  }
  return {std::nullopt, "\"" + label + "\" not measured (--only, --cold-samples 0)"};
}

Figure dockerRunMedian(const DockerOutcome& docker) {
  if (!docker.timing || docker.timing->medianMs <= 0)
    return {std::nullopt, "docker run --rm: " + docker.unavailable};
  return {docker.timing->medianMs, {}};
}

// a / b with both figures, or the first reason one of them is missing.
void printRatio(const std::string& what, const Figure& a, const Figure& b) {
  if (!a.ms || !b.ms) {
    std::printf("  %-58s n/a: %s\n", what.c_str(), (!a.ms ? a.why : b.why).c_str());
    return;
  }
  std::printf("  %-58s %s (%s ms / %s ms)\n", what.c_str(), ratio(*a.ms, *b.ms).c_str(),
              fixed(*a.ms, 3).c_str(), fixed(*b.ms, 3).c_str());
}

// Issue 6: warm latency and cold starts on the docker executor, against the sandbox
// executor (above 1x: docker is slower) and against the clone's `docker run --rm` per call
// (above 1x: the docker executor is that many times faster). The warm ratios take the
// one-connection p50s, the platform's cost per call without queueing in it.
void printDockerExecutor(const std::vector<Measurement>& rows, const std::vector<ColdSeries>& cold,
                         const DockerOutcome& docker) {
  std::printf("\ndocker executor vs sandbox and docker run --rm:\n");
  const Figure dockerWarm = warmP50(rows, "docker executor python handler, 1 connection");
  const Figure sandboxWarm = warmP50(rows, "stratus python handler, 1 connection");
  const Figure dockerClone = warmP50(rows, "docker executor clone route, 1 connection");
  const Figure sandboxClone = warmP50(rows, "stratus clone route, 1 connection");
  const Figure dockerCold = coldP50(cold, "stratus python, docker executor");
  const Figure sandboxCold = coldP50(cold, "stratus python, ready pool (default)");
  const Figure dockerRun = dockerRunMedian(docker);
  printRatio("warm p50, 1 conn: docker executor / sandbox (python handler)", dockerWarm,
             sandboxWarm);
  printRatio("clone route p50, 1 conn: docker executor / sandbox", dockerClone, sandboxClone);
  printRatio("cold p50: docker executor / sandbox with ready pool (python)", dockerCold,
             sandboxCold);
  printRatio("speed-up: docker run --rm median / docker clone route p50", dockerRun,
             dockerClone);
  printRatio("speed-up: docker run --rm median / docker cold p50", dockerRun, dockerCold);
}

// The issue's targets and the ratios, in one place.
void printSummary(const std::vector<Measurement>& rows, const std::vector<ColdSeries>& cold,
                  const DockerOutcome& docker, const Config& config) {
  std::printf("\nsummary against the issue's targets:\n");
  auto clean = [&](const char* prefix) -> const WrkResult* {
    const Measurement* row = find(rows, prefix);
    return row && row->clean() ? &*row->wrk : nullptr;
  };
  const WrkResult* python = clean("stratus python handler (warm)");
  const WrkResult* node = clean("stratus node handler (warm)");
  const WrkResult* workerd = clean("workerd hello world (JS");
  const WrkResult* ceiling = clean("static ceiling (");
  const WrkResult* ceilingOne = clean("static ceiling, 1 connection");
  const WrkResult* pythonOne = clean("stratus python handler, 1 connection");
  const WrkResult* nodeOne = clean("stratus node handler, 1 connection");
  const WrkResult* cloneOne = clean("stratus clone route, 1 connection");
  auto rps = [](const char* what, const WrkResult* a, const char* base, const WrkResult* b) {
    std::printf("  %-52s %s\n", (std::string(what) + " req/s / " + base + " req/s").c_str(),
                a && b ? ratio(a->requestsPerSecond, b->requestsPerSecond).c_str() : "n/a");
  };
  rps("stratus python", python, "workerd", workerd);
  rps("stratus node", node, "workerd", workerd);
  rps("stratus python", python, "ceiling", ceiling);
  rps("stratus node", node, "ceiling", ceiling);
  rps("workerd", workerd, "ceiling", ceiling);
  auto overhead = [&](const std::string& what, int connections, const WrkResult* row,
                      const WrkResult* ceiling) {
    std::string label = "platform overhead p50, " + what + ", " + std::to_string(connections) +
                        (connections == 1 ? " conn" : " conns");
    if (!row || !ceiling) {
      std::printf("  %-52s n/a\n", label.c_str());
      return;
    }
    double us = row->p50Us - ceiling->p50Us;
    std::printf("  %-52s %.0f us (target < 200 us: %s)\n", label.c_str(), us,
                us < 200 ? "met" : "NOT met");
  };
  overhead("python", config.connections, python, ceiling);
  overhead("node", config.connections, node, ceiling);
  overhead("python", 1, pythonOne, ceilingOne);
  overhead("node", 1, nodeOne, ceilingOne);
  if (cloneOne && docker.timing && docker.timing->medianMs > 0) {
    double x = docker.timing->medianMs * 1000 / cloneOne->p50Us;
    std::printf("  %-52s %.1fx (target >= 50x: %s)\n",
                "clone route: docker run --rm median / 1-conn p50", x, x >= 50 ? "met" : "NOT met");
  } else {
    std::printf("  %-52s n/a\n", "clone route: docker run --rm median / 1-conn p50");
  }
  for (const auto& row : cold) {
    if (row.targetMs <= 0) continue;
    if (row.clientMs.empty()) {
      std::printf("  %-52s n/a\n", ("cold p50, " + row.label).c_str());
      continue;
    }
    double p50 = summarise(row.clientMs).p50;
    std::printf("  %-52s %.3f ms (target < %.0f ms: %s)\n", ("cold p50, " + row.label).c_str(),
                p50, row.targetMs, p50 < row.targetMs ? "met" : "NOT met");
  }
}

// The host's CPUs are shared: how idle they were over one second before the run, and the
// load average after it, so a run disturbed by something else says so.
double idlePercentOverOneSecond() {
  auto read = [] {
    std::ifstream stat("/proc/stat");
    std::string cpu;
    std::vector<long long> ticks;
    stat >> cpu;
    for (long long value; ticks.size() < 8 && stat >> value;) ticks.push_back(value);
    long long total = 0;
    for (auto t : ticks) total += t;
    long long idle = ticks.size() > 4 ? ticks[3] + ticks[4] : 0;  // idle + iowait
    return std::pair{total, idle};
  };
  auto [total1, idle1] = read();
  std::this_thread::sleep_for(std::chrono::seconds(1));
  auto [total2, idle2] = read();
  return total2 > total1 ? 100.0 * double(idle2 - idle1) / double(total2 - total1) : 0;
}

std::string loadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

// --hold: a server with the two handlers deployed (each invoked once, so an instance is
// warm), its address, process id and key printed, kept up for `seconds` or until SIGINT or
// SIGTERM, then stopped and its data folder removed: for a profiler to attach while load
// comes from outside (wrk, as printed).
int hold(const Config& config) {
  std::vector<std::string> extra;
  if (const char* text = std::getenv("STRATUS_BENCH_SERVE_ARGS")) {
    std::istringstream words(text);
    for (std::string word; words >> word;) extra.push_back(word);
  }
  auto stratus = startStratus(extra);
  if (!stratus) {
    std::fprintf(stderr, "cannot start stratus: %s\n", describe(stratus.error()).c_str());
    return 1;
  }
  for (const HandlerFunction& function : {pythonHandler(), nodeHandler()}) {
    auto deployed = deployFunction(*stratus, {.name = function.name,
                                              .runtime = function.runtime,
                                              .handler = "hello.handler",
                                              .mode = "handler",
                                              .fileName = function.fileName,
                                              .code = function.code});
    if (!deployed) {
      std::fprintf(stderr, "cannot deploy %s: %s\n", function.name.c_str(),
                   describe(deployed.error()).c_str());
      return 1;
    }
    client::HttpClient http(stratus->url(), stratus->account.apiKey);
    if (auto call = timeFirstCall(http, function.name); !call)
      std::fprintf(stderr, "%s does not answer: %s\n", function.name.c_str(),
                   describe(call.error()).c_str());
  }
  std::printf("stratus serve: pid %d, %s, for %d s\n", static_cast<int>(stratus->server->pid()),
              stratus->url().c_str(), config.holdSeconds);
  for (const char* name : {"bench-python", "bench-node"})
    std::printf("  wrk -t%d -c%d -d10s -s bench/support/wrk_report.lua -H 'Authorization: Bearer "
                "%s' -H 'Content-Type: application/json' %s/api/v1/functions/%s/invoke -- POST "
                "BODY_FILE\n",
                config.threads, config.connections, stratus->account.apiKey.c_str(),
                stratus->url().c_str(), name);
  std::fflush(stdout);
  // Blocked only now: the server, spawned earlier, must not inherit the mask.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  ::sigprocmask(SIG_BLOCK, &stop, nullptr);
  timespec limit{config.holdSeconds, 0};
  int got = ::sigtimedwait(&stop, nullptr, &limit);
  std::printf("stopping the server (%s)\n", got > 0 ? "signalled" : "time is up");
  return 0;
}

int usage(const char* why) {
  std::fprintf(stderr,
               "stratus_engine_bench: %s\nusage: stratus_engine_bench [--seconds N] "
               "[--connections N] [--threads N] [--docker-calls N] [--warmup N]\n"
               "                            [--cold-samples N] [--cold-spacing-ms N] "
               "[--prewarm-settle-ms N] [--only LIST]\n"
               "       stratus_engine_bench --hold SECONDS   (a server to profile, see hold())\n"
               "  LIST: comma-separated of ceiling,workerd,python,node,clone,docker,\n"
               "  docker-executor; workerd, python, node and docker-executor cover their warm\n"
               "  and cold measurements, or name one of them: workerd-warm, workerd-cold,\n"
               "  python-warm, python-cold, node-warm, node-cold, docker-executor-warm,\n"
               "  docker-executor-cold.\n"
               "  --cold-samples 0 leaves the cold starts out.\n",
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
    else if (flag == "--warmup") config.warmupSeconds = std::atoi(value.c_str());
    else if (flag == "--cold-samples") config.coldSamples = std::atoi(value.c_str());
    else if (flag == "--cold-spacing-ms") config.coldSpacingMs = std::atoi(value.c_str());
    else if (flag == "--prewarm-settle-ms") config.prewarmSettleMs = std::atoi(value.c_str());
    else if (flag == "--hold") config.holdSeconds = std::atoi(value.c_str());
    else if (flag == "--only") {
      std::stringstream list(value);
      for (std::string item; std::getline(list, item, ',');) config.only.insert(item);
    } else {
      return usage("unknown flag");
    }
  }
  if (config.seconds < 1 || config.connections < 1 || config.threads < 1 ||
      config.threads > config.connections || config.dockerCalls < 1 ||
      config.warmupSeconds < 0 || config.coldSamples < 0 || config.coldSpacingMs < 0 ||
      config.prewarmSettleMs < 0)
    return usage("bad number");
  if (config.holdSeconds > 0) return hold(config);

  std::printf("stratus engine benchmark: wrk -t%d -c%d -d%ds (after %d s unmeasured) on loopback, "
              "%ld CPUs shared by wrk and the target\n",
              config.threads, config.connections, config.seconds, config.warmupSeconds,
              ::sysconf(_SC_NPROCESSORS_ONLN));
  std::printf("host before the run: %.0f%% of the CPUs idle over 1 s, load average %s\n",
              idlePercentOverOneSecond(), loadAverage().c_str());
  if ((config.wantsWarm("workerd") || config.wantsCold("workerd")) && WorkerdServer::available())
    std::printf("workerd: %s\n", WorkerdServer::version().c_str());
  std::fflush(stdout);

  std::vector<Measurement> rows;
  if (config.wants("ceiling")) {
    for (auto& row : measureCeiling(config)) rows.push_back(std::move(row));
  }
  if (config.wantsWarm("workerd")) rows.push_back(measureWorkerd(config));

  const bool python = config.wantsWarm("python"), node = config.wantsWarm("node");
  const bool pythonCold = config.wantsCold("python"), nodeCold = config.wantsCold("node");
  const bool dockerWarm = config.wantsWarm("docker-executor");
  const bool dockerCold = config.wantsCold("docker-executor");
  const bool needsStratus = python || node || pythonCold || nodeCold || config.wants("clone") ||
                            dockerWarm || dockerCold;
  Result<StratusTarget> stratus =
      needsStratus ? startStratus()
                   : Result<StratusTarget>(std::unexpected(Error{ErrorKind::unavailable, "", "", {}}));
  for (const auto& function : {pythonHandler(), nodeHandler()}) {
    if (!(function.runtime.starts_with("python") ? python : node)) continue;
    for (auto& row : measureStratusHandler(config, stratus, function)) rows.push_back(std::move(row));
  }
  if (config.wants("clone")) {
    for (auto& row : measureCloneRoute(config, stratus)) rows.push_back(std::move(row));
  }
  if (dockerWarm) {
    for (auto& row : measureDockerExecutorWarm(config, stratus)) rows.push_back(std::move(row));
  }

  // Cold starts on the same server (ready sandboxes on, the default), then on one without.
  std::vector<ColdSeries> cold;
  if (pythonCold)
    cold.push_back(measureHandlerColdStarts(config, stratus, pythonHandler(),
                                            "stratus python, ready pool (default)",
                                            "cold-python-pool", false, 20));
  if (nodeCold)
    cold.push_back(measureHandlerColdStarts(config, stratus, nodeHandler(),
                                            "stratus node, ready pool (default)",
                                            "cold-node-pool", false, 50));
  const std::string settled = " +" + std::to_string(config.prewarmSettleMs) + " ms";
  if (pythonCold)
    cold.push_back(measureHandlerColdStarts(config, stratus, pythonHandler(),
                                            "stratus python, prewarm=1 (idle)",
                                            "cold-python-prewarm", true, 5));
  if (nodeCold)
    cold.push_back(measureHandlerColdStarts(config, stratus, nodeHandler(),
                                            "stratus node, prewarm=1 (idle)",
                                            "cold-node-prewarm", true, 5));
  if (pythonCold && config.prewarmSettleMs > 0)
    cold.push_back(measureHandlerColdStarts(config, stratus, pythonHandler(),
                                            "stratus python, prewarm=1 (idle" + settled + ")",
                                            "cold-python-settled", true, 5,
                                            config.prewarmSettleMs));
  if (nodeCold && config.prewarmSettleMs > 0)
    cold.push_back(measureHandlerColdStarts(config, stratus, nodeHandler(),
                                            "stratus node, prewarm=1 (idle" + settled + ")",
                                            "cold-node-settled", true, 5, config.prewarmSettleMs));
  if (dockerCold) {
    // Each sample creates and starts a container, about half a second: fewer of them.
    Config fewer = config;
    fewer.coldSamples = std::min(config.coldSamples, 10);
    cold.push_back(measureHandlerColdStarts(fewer, stratus, pythonDockerHandler(),
                                            "stratus python, docker executor",
                                            "cold-python-docker", false, 0));
  }
  if (stratus) stratus->server.reset();  // stopped before the next server and docker
  for (auto& row : measureColdStartsWithoutPool(config)) cold.push_back(std::move(row));
  if (config.wantsCold("workerd")) cold.push_back(measureWorkerdColdStarts(config));

  DockerOutcome docker{std::nullopt, "not requested (--only)"};
  if (config.wants("docker")) docker = measureDocker(config);

  printTable(rows);
  printOverhead(rows);
  printDocker(rows, docker, config);
  printColdStarts(cold, config);
  if (dockerWarm || dockerCold) printDockerExecutor(rows, cold, docker);
  printSummary(rows, cold, docker, config);
  std::printf("\nhost after the run: load average %s (this run's own load included)\n",
              loadAverage().c_str());
  return 0;
}
