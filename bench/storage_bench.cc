// Deploy, and the first invocation after a deploy (code not yet in the node's cache), with
// the server on PostgreSQL + S3 side by side with the embedded SQLite + folder, in one run.
// The numbers that matter are the ratios printed at the end: what production storage costs
// on the two paths that touch it. Each deploy uploads different code, so every first
// invocation really fetches, checks and unpacks its code. Both databases fsync their
// commits; the s3rver test server (a Node.js process writing files) does not fsync, where
// the local folder store does: the S3 side is measured against a local stand-in, not AWS.
#include <benchmark/benchmark.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include "client/http_client.h"
#include "client/response.h"
#include "support/server_process.h"
#include "testing/postgres_server.h"
#include "testing/s3_server.h"

namespace {
using namespace stratus;
using Clock = std::chrono::steady_clock;

std::map<std::string, double> meanSeconds;  // "deploy/postgres_s3" -> mean seconds

struct Setup {
  std::unique_ptr<testing::PostgresServer> postgres;
  std::unique_ptr<testing::S3ServerFixture> s3;
  std::unique_ptr<e2e::ServerProcess> server;
  e2e::Account account;
  std::string why;  // empty when usable
  int next = 0;
};

std::string cloudSource() {
  std::ifstream in(e2e::sourcePath("examples/cloud.py"));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Setup& setup(const std::string& storage) {
  static std::map<std::string, Setup> setups;
  auto found = setups.find(storage);
  if (found != setups.end()) return found->second;
  Setup& s = setups[storage];
  std::vector<std::string> args;
  if (storage == "postgres_s3") {
    if (!testing::PostgresServer::available()) s.why = testing::PostgresServer::skipReason();
    else if (!testing::S3ServerFixture::available()) s.why = testing::S3ServerFixture::skipReason();
    if (!s.why.empty()) return s;
    // Durable (fsync on), like the SQLite side it is compared with.
    s.postgres = testing::PostgresServer::start(/*durable=*/true);
    s.s3 = testing::S3ServerFixture::start("bench");
    if (!s.postgres || !s.s3) {
      s.why = "PostgreSQL or s3rver did not start";
      return s;
    }
    args = {"--database", s.postgres->createDatabase(), "--blobs",
            "s3://bench/code?endpoint=" + s.s3->endpoint() + "&path-style=true"};
  }
  s.server = e2e::ServerProcess::start(args);
  if (!s.server) {
    s.why = "server did not start";
    return s;
  }
  s.account = e2e::createAccount(*s.server);
  return s;
}

// A new function with code no earlier deploy had; returns its name, or empty.
std::string deployNew(Setup& s, client::HttpClient& http) {
  const std::string name = "cloud-" + std::to_string(s.next++);
  auto created = http.postMultipart(
      "/api/v1/functions", {{"name", name}, {"handler", "cloud.calculator"}},
      {client::FilePart{"functionFile", "cloud.py", cloudSource() + "# " + name + "\n"}});
  return created && created->status == 201 ? name : std::string();
}

bool invokeOnce(client::HttpClient& http, const std::string& name) {
  auto response = http.postJson("/api/v1/functions/" + name + "/invoke",
                                boost::json::object{{"args", boost::json::array{"10", "5"}}});
  return response && response->status == 200;
}

// Times `op` on both setups in each iteration, alternating which goes first, so both see
// the same machine: a busy neighbour slows both sides of a pair, not one whole series.
template <class Op>
void timePairs(benchmark::State& state, const std::string& path, Op op) {
  Setup& base = setup("sqlite_local");
  Setup& production = setup("postgres_s3");
  for (Setup* s : {&base, &production}) {
    if (!s->why.empty()) {
      state.SkipWithError(("skipped: " + s->why).c_str());
      return;
    }
  }
  client::HttpClient baseHttp(base.server->url(), base.account.apiKey);
  client::HttpClient productionHttp(production.server->url(), production.account.apiKey);
  double baseTotal = 0, productionTotal = 0;
  int64_t pairs = 0;
  for (auto _ : state) {
    double seconds[2] = {0, 0};
    for (int turn = 0; turn < 2; ++turn) {
      const int side = (pairs + turn) % 2;  // 0: SQLite + folder, 1: PostgreSQL + S3
      auto timed = op(side == 0 ? base : production, side == 0 ? baseHttp : productionHttp);
      if (!timed) {
        state.SkipWithError(side == 0 ? "failed on SQLite + folder" : "failed on PostgreSQL + S3");
        return;
      }
      seconds[side] = *timed;
    }
    state.SetIterationTime(seconds[0] + seconds[1]);
    baseTotal += seconds[0];
    productionTotal += seconds[1];
    ++pairs;
  }
  if (pairs == 0) return;
  meanSeconds[path + "/sqlite_local"] = baseTotal / static_cast<double>(pairs);
  meanSeconds[path + "/postgres_s3"] = productionTotal / static_cast<double>(pairs);
  state.counters["sqlite_local_ms"] = baseTotal * 1e3 / static_cast<double>(pairs);
  state.counters["postgres_s3_ms"] = productionTotal * 1e3 / static_cast<double>(pairs);
  state.counters["ratio"] = productionTotal / baseTotal;
}

double since(Clock::time_point started) {
  return std::chrono::duration<double>(Clock::now() - started).count();
}

void Deploy(benchmark::State& state) {
  timePairs(state, "deploy", [](Setup& s, client::HttpClient& http) -> std::optional<double> {
    auto started = Clock::now();
    if (deployNew(s, http).empty()) return std::nullopt;
    return since(started);
  });
}

// Only the invocation is timed; the deploy before it is not.
void FirstInvokeAfterDeploy(benchmark::State& state) {
  timePairs(state, "first_invoke", [](Setup& s, client::HttpClient& http) -> std::optional<double> {
    const std::string name = deployNew(s, http);
    if (name.empty()) return std::nullopt;
    auto started = Clock::now();
    if (!invokeOnce(http, name)) return std::nullopt;  // no sandbox here? run as root
    return since(started);
  });
}

BENCHMARK(Deploy)->Unit(benchmark::kMillisecond)->UseManualTime()->MinTime(4.0);
BENCHMARK(FirstInvokeAfterDeploy)->Unit(benchmark::kMillisecond)->UseManualTime()->MinTime(8.0);

void printRatio(const char* what, const std::string& path) {
  const std::string base = path + "/sqlite_local", production = path + "/postgres_s3";
  if (!meanSeconds.count(base) || !meanSeconds.count(production)) return;
  std::printf("%s, PostgreSQL + S3 / SQLite + folder: %.2fx  (%.1f ms vs %.1f ms)\n", what,
              meanSeconds[production] / meanSeconds[base], meanSeconds[production] * 1e3,
              meanSeconds[base] * 1e3);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::printf("\n");
  printRatio("deploy", "deploy");
  printRatio("first invocation after deploy (cold code cache)", "first_invoke");
  return 0;
}
