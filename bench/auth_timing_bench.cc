// Does any account answer tell, by its timing, whether an address has an account? Each
// pair below sends the same request for an address that has an account and for one that
// does not, interleaved in one run; the ratios printed at the end should sit near 1.00.
//   - sign-in with a wrong password: Argon2 runs against the real hash or a dummy one;
//   - forgot password: the look-up, token and mail happen after the answer has gone.
// The server runs with --rate-limits=false: the point here is timing, not throttling.
#include <benchmark/benchmark.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <map>

#include "client/http_client.h"
#include "support/server_process.h"

namespace {
using namespace stratus;

std::map<std::string, double> meanSeconds;

struct Server {
  std::unique_ptr<e2e::ServerProcess> process;
  std::string knownEmail;
};

Server& server() {
  static Server s = [] {
    Server s;
    s.process = e2e::ServerProcess::start({"--rate-limits=false"});
    if (!s.process) return s;
    // createAccount's addresses are user<pid>-<n>@example.com; the first is this one.
    e2e::createAccount(*s.process);
    s.knownEmail = "user" + std::to_string(::getpid()) + "-0@example.com";
    return s;
  }();
  return s;
}

void post(benchmark::State& state, const std::string& name, const std::string& path,
          boost::json::object body, long expectedStatus) {
  auto& s = server();
  if (!s.process) {
    state.SkipWithError("server did not start");
    return;
  }
  client::HttpClient http(s.process->url());
  auto started = std::chrono::steady_clock::now();
  int64_t calls = 0;
  for (auto _ : state) {
    auto response = http.postJson(path, body);
    if (!response || response->status != expectedStatus) {
      state.SkipWithError(("unexpected answer from " + path).c_str());
      return;
    }
    ++calls;
  }
  if (calls > 0)
    meanSeconds[name] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() / calls;
}

void SignInWrongPasswordKnown(benchmark::State& state) {
  post(state, "signin-known", "/api/v1/auth/signin",
       {{"email", server().knownEmail}, {"password", "not the password"}}, 401);
}
void SignInWrongPasswordUnknown(benchmark::State& state) {
  post(state, "signin-unknown", "/api/v1/auth/signin",
       {{"email", "nobody-here@example.com"}, {"password", "not the password"}}, 401);
}
void ForgotKnown(benchmark::State& state) {
  post(state, "forgot-known", "/api/v1/auth/forgot", {{"email", server().knownEmail}}, 202);
}
void ForgotUnknown(benchmark::State& state) {
  post(state, "forgot-unknown", "/api/v1/auth/forgot", {{"email", "nobody-here@example.com"}},
       202);
}

BENCHMARK(SignInWrongPasswordKnown)->Unit(benchmark::kMillisecond)->MinTime(2.0)->UseRealTime();
BENCHMARK(SignInWrongPasswordUnknown)->Unit(benchmark::kMillisecond)->MinTime(2.0)->UseRealTime();
BENCHMARK(ForgotKnown)->Unit(benchmark::kMicrosecond)->MinTime(2.0)->UseRealTime();
BENCHMARK(ForgotUnknown)->Unit(benchmark::kMicrosecond)->MinTime(2.0)->UseRealTime();

void ratio(const char* what, const std::string& known, const std::string& unknown) {
  if (!meanSeconds.count(known) || !meanSeconds.count(unknown)) return;
  std::printf("%s, known / unknown address: %.2fx  (%.3f ms vs %.3f ms)\n", what,
              meanSeconds[known] / meanSeconds[unknown], meanSeconds[known] * 1e3,
              meanSeconds[unknown] * 1e3);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::printf("\n");
  ratio("sign-in with a wrong password", "signin-known", "signin-unknown");
  ratio("forgot password", "forgot-known", "forgot-unknown");
  server().process.reset();
  return 0;
}
