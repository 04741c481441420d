// The sandbox route for the clone's cloud.py, side by side with the same program started
// from a shell, in one run. The number that matters is the ratio printed at the end: what a
// call through Stratus (HTTP, auth, metadata, a fresh sandbox with namespaces, cgroup and
// seccomp) costs relative to running the interpreter by hand.
#include <benchmark/benchmark.h>
#include <spawn.h>
#include <sys/wait.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "client/http_client.h"
#include "client/response.h"
#include "support/server_process.h"

extern char** environ;

namespace {
using namespace stratus;

std::map<std::string, double> meanSeconds;  // benchmark name -> mean seconds per call

struct Deployed {
  std::unique_ptr<e2e::ServerProcess> server;
  e2e::Account account;
  std::string route;
  bool usable = false;
  std::string why;
};

Deployed& deployed() {
  static Deployed d = [] {
    Deployed d;
    d.server = e2e::ServerProcess::start();
    if (!d.server) {
      d.why = "server did not start";
      return d;
    }
    d.account = e2e::createAccount(*d.server);
    client::HttpClient http(d.server->url(), d.account.apiKey);
    std::ifstream in(e2e::sourcePath("examples/cloud.py"));
    std::stringstream source;
    source << in.rdbuf();
    auto created = http.postMultipart(
        "/api/v1/functions", {{"name", "cloud"}, {"handler", "cloud.calculator"}},
        {client::FilePart{"functionFile", "cloud.py", source.str()}});
    if (!created || created->status != 201) {
      d.why = "deploy failed";
      return d;
    }
    d.route = "/api/function/" + d.account.userId + "/cloud.calculator/sandbox?a=10&b=5";
    auto probe = http.get(d.route);
    if (!probe || probe->status != 200) {
      d.why = "sandbox unavailable: " + (probe ? probe->body : probe.error().message);
      return d;
    }
    d.usable = true;
    return d;
  }();
  return d;
}

template <class Call>
void timeLoop(benchmark::State& state, const std::string& name, Call call) {
  auto started = std::chrono::steady_clock::now();
  int64_t calls = 0;
  for (auto _ : state) {
    if (!call()) {
      state.SkipWithError("call failed");
      return;
    }
    ++calls;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (calls > 0) meanSeconds[name] = seconds / static_cast<double>(calls);
}

void PlainPythonFromShell(benchmark::State& state) {
  std::string script = e2e::sourcePath("examples/cloud.py");
  std::string command = "/usr/bin/python3 " + script + " 10 5 > /dev/null";
  timeLoop(state, "plain", [&] {
    const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
    pid_t pid;
    if (posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char**>(argv), environ) != 0)
      return false;
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
  });
}

void SandboxRoute(benchmark::State& state) {
  auto& d = deployed();
  if (!d.usable) {
    state.SkipWithError(d.why.c_str());
    return;
  }
  client::HttpClient http(d.server->url(), d.account.apiKey);
  timeLoop(state, "sandbox", [&] {
    auto response = http.get(d.route);
    return response && response->status == 200 &&
           response->body.find("\"status\":0") != std::string::npos;
  });
}

BENCHMARK(PlainPythonFromShell)->Unit(benchmark::kMillisecond)->MinTime(3.0)->UseRealTime();
BENCHMARK(SandboxRoute)->Unit(benchmark::kMillisecond)->MinTime(3.0)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (meanSeconds.count("plain") && meanSeconds.count("sandbox")) {
    std::printf(
        "\nsandbox route / plain python3 from a shell: %.2fx  (%.1f ms vs %.1f ms per call)\n",
        meanSeconds["sandbox"] / meanSeconds["plain"], meanSeconds["sandbox"] * 1e3,
        meanSeconds["plain"] * 1e3);
  }
  deployed().server.reset();
  return 0;
}
