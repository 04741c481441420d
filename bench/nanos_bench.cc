// The nanos executor's cold start and warm call, each side by side with the sandbox
// executor and with the clone's model of Nanos (a new image and a new VM for every call),
// all in one run on this machine, reported as ratios. The clone's cloud.py through the
// clone route (/nanos, /sandbox) of a real `stratus serve`.
//
//   cold            the first call of a freshly deployed function: for nanos that builds
//                   the version's image and boots a VM; for the sandbox it takes a ready one
//   cold, cached    nanos only: the first call after the warm VM expired (image reused)
//   warm            calls on the running instance, one after another
//   clone model     mkfs a new image, boot it, run cloud.py to its exit: what the clone's
//                   ops-based option did for every call
//
//   stratus_nanos_bench [--cold N] [--warm N] [--clone N]
//
// Without a Nanos kernel (none ships with Debian or npm) it says so and measures nothing.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "client/http_client.h"
#include "exec/nanos/guest_image.h"
#include "nanos/image_cache.h"
#include "nanos/install.h"
#include "nanos/qemu.h"
#include "support/child_process.h"
#include "support/cold_start.h"
#include "support/stratus_target.h"

namespace stratus::bench {
namespace {
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

const char* kExpected = "add: 15.0 subtract: 5.0 multiply: 50.0 divide: 2.0 remainder: 0.0 ";

struct Config {
  int cold = 5;
  int warm = 30;
  int clone = 5;
};

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// One call of the clone route; its wall time in ms, or an error naming what came back.
Result<double> callRoute(const StratusTarget& target, const std::string& route) {
  client::HttpClient http(target.url(), target.account.apiKey);
  auto start = Clock::now();
  auto response = http.get("/api/function/" + target.account.userId + "/cloud.calculator/" + route + "?a=10&b=5");
  double elapsed = msSince(start);
  if (!response) return std::unexpected(response.error());
  if (response->status != 200 || response->body.find(kExpected) == std::string::npos)
    return internalError("/" + route + " answered " + std::to_string(response->status) + ": " + response->body.substr(0, 300));
  return elapsed;
}

Result<void> deployCloud(const StratusTarget& target, const std::string& name, const std::string& executor) {
  auto deployed = deployFunction(target, {.name = name,
                                          .runtime = "python3.11",
                                          .handler = "cloud.calculator",
                                          .fileName = "cloud.py",
                                          .code = readFile(e2e::sourcePath("examples/cloud.py")),
                                          .executor = executor});
  if (!deployed) return std::unexpected(deployed.error());
  return {};
}

struct Series {
  std::string label;
  std::vector<double> samples;
  std::string error;
};

void print(const Series& series) {
  if (!series.error.empty()) {
    std::printf("  %-34s n/a: %s\n", series.label.c_str(), series.error.c_str());
    return;
  }
  auto p = summarise(series.samples);
  std::printf("  %-34s p50 %9.1f ms   min %9.1f   max %9.1f   (n=%zu)\n", series.label.c_str(), p.p50,
              p.min, p.max, p.count);
}

double p50(const Series& series) { return series.error.empty() ? summarise(series.samples).p50 : 0; }

// Cold: a new function per sample, so nothing of an earlier one is reused.
Series measureCold(const StratusTarget& target, const std::string& executor, int count) {
  Series series{executor + " cold (new function)", {}, {}};
  for (int i = 0; i < count && series.error.empty(); ++i) {
    std::string name = "cold-" + executor + "-" + std::to_string(i);
    if (auto ok = deployCloud(target, name, executor); !ok) {
      series.error = ok.error().describe();
      break;
    }
    auto elapsed = callRoute(target, executor);
    if (!elapsed) series.error = elapsed.error().describe();
    else series.samples.push_back(*elapsed);
    (void)deleteFunction(target, name);
  }
  return series;
}

// Warm: one function, called once to start it, then `count` calls.
Series measureWarm(const StratusTarget& target, const std::string& executor, int count) {
  Series series{executor + " warm", {}, {}};
  std::string name = "warm-" + executor;
  if (auto ok = deployCloud(target, name, executor); !ok) return {series.label, {}, ok.error().describe()};
  if (auto first = callRoute(target, executor); !first) return {series.label, {}, first.error().describe()};
  for (int i = 0; i < count; ++i) {
    auto elapsed = callRoute(target, executor);
    if (!elapsed) return {series.label, {}, elapsed.error().describe()};
    series.samples.push_back(*elapsed);
  }
  (void)deleteFunction(target, name);
  return series;
}

// Nanos, image cached: the VM expires between calls (the server runs with --idle-expiry 1).
Series measureCachedCold(const StratusTarget& target, int count) {
  Series series{"nanos cold (image cached)", {}, {}};
  if (auto ok = deployCloud(target, "cached-nanos", "nanos"); !ok) return {series.label, {}, ok.error().describe()};
  if (auto first = callRoute(target, "nanos"); !first) return {series.label, {}, first.error().describe()};
  for (int i = 0; i < count; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(3500));  // past expiry and its sweep
    auto elapsed = callRoute(target, "nanos");
    if (!elapsed) return {series.label, {}, elapsed.error().describe()};
    series.samples.push_back(*elapsed);
  }
  (void)deleteFunction(target, "cached-nanos");
  return series;
}

// The clone's model: a new image (mkfs) and a new VM running cloud.py to its exit.
Series measureCloneModel(const nanos::NanosInstall& install, int count) {
  Series series{"clone model (new image + VM per call)", {}, {}};
  ScratchDir scratch("stratus-nanos-bench");
  fs::create_directories(scratch.path() / "code");
  if (auto written = writeFile(scratch.path() / "code/cloud.py", readFile(e2e::sourcePath("examples/cloud.py"))); !written)
    return {series.label, {}, written.error().describe()};
  auto runtime = exec::nanos::collectRuntime("python3.11");
  if (!runtime) return {series.label, {}, runtime.error().describe()};
  nanos::Manifest manifest;
  manifest.program = runtime->program;
  manifest.files = runtime->files;
  manifest.files["/var/task/cloud.py"] = (scratch.path() / "code/cloud.py").string();
  manifest.arguments = {runtime->program, "/var/task/cloud.py", "10", "5"};
  manifest.environment = {{"LANG", "C.UTF-8"}, {"PYTHONDONTWRITEBYTECODE", "1"}};
  manifest.settings = {{"debug_exit", "t"}};
  // The forward rule needs something listening; nothing in this run speaks to it.
  std::string socketPath = (scratch.path() / "unused.sock").string();
  int listener = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, socketPath.c_str(), sizeof address.sun_path - 1);
  if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listener, 4) != 0)
    return {series.label, {}, std::string("listen on ") + socketPath + ": " + std::strerror(errno)};
  for (int i = 0; i < count; ++i) {
    auto start = Clock::now();
    nanos::ImageCache cache(install, scratch.path() / ("images-" + std::to_string(i)));  // always builds
    auto image = cache.imageFor(manifest);
    if (!image) return {series.label, {}, image.error().describe()};
    auto run = runCommand(nanos::qemuArgv({.qemu = install.qemu, .image = image->string(), .memoryMb = 128,
                                           .kvm = install.kvm, .runtimeSocket = socketPath}));
    double elapsed = msSince(start);
    if (!run) return {series.label, {}, run.error().describe()};
    std::string out = nanos::stripKernelLines(run->out);
    if (out.find(kExpected) == std::string::npos)
      return {series.label, {}, "unexpected output: " + run->out.substr(0, 300) + run->err.substr(0, 300)};
    series.samples.push_back(elapsed);
    fs::remove_all(scratch.path() / ("images-" + std::to_string(i)));
  }
  ::close(listener);
  return series;
}

void ratio(const char* what, double numerator, double denominator) {
  if (numerator <= 0 || denominator <= 0) {
    std::printf("  %-58s n/a\n", what);
    return;
  }
  std::printf("  %-58s %8.2fx\n", what, numerator / denominator);
}

}  // namespace
}  // namespace stratus::bench

int main(int argc, char** argv) {
  using namespace stratus::bench;
  Config config;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    int value = std::atoi(argv[i + 1]);
    if (flag == "--cold") config.cold = value;
    else if (flag == "--warm") config.warm = value;
    else if (flag == "--clone") config.clone = value;
  }
  auto install = stratus::nanos::locateNanos(stratus::nanos::hostProbe());
  if (!install.usable()) {
    std::printf("nanos bench: skipped: %s\n", stratus::nanos::missingSummary(install).c_str());
    return 0;
  }
  std::printf("nanos bench: kernel %s, qemu %s, %s\n", install.kernel.c_str(), install.qemu.c_str(),
              install.kvm ? "KVM present" : "no KVM: TCG emulation");
  auto target = startStratus({"--idle-expiry", "1"});
  if (!target) {
    std::printf("could not start stratus: %s\n", target.error().describe().c_str());
    return 1;
  }
  Series nanosCold = measureCold(*target, "nanos", config.cold);
  Series sandboxCold = measureCold(*target, "sandbox", config.cold);
  Series cached = measureCachedCold(*target, config.cold);
  Series nanosWarm = measureWarm(*target, "nanos", config.warm);
  Series sandboxWarm = measureWarm(*target, "sandbox", config.warm);
  Series clone = measureCloneModel(install, config.clone);

  std::printf("\ncloud.py through the clone route, one call at a time:\n");
  for (const Series* series : {&nanosCold, &cached, &sandboxCold, &nanosWarm, &sandboxWarm, &clone}) print(*series);
  std::printf("\nratios (p50 over p50):\n");
  ratio("nanos cold / sandbox cold", p50(nanosCold), p50(sandboxCold));
  ratio("nanos cold, image cached / sandbox cold", p50(cached), p50(sandboxCold));
  ratio("nanos warm / sandbox warm", p50(nanosWarm), p50(sandboxWarm));
  ratio("clone model / nanos cold (speed-up of building once)", p50(clone), p50(nanosCold));
  ratio("clone model / nanos cold, image cached", p50(clone), p50(cached));
  ratio("clone model / nanos warm (speed-up of warm VMs)", p50(clone), p50(nanosWarm));
  return 0;
}
