// Does any account answer tell, by its timing, whether an address has an account? Each
// pair below sends the same request for an address that has an account and for one that
// does not, alternating in one run; the ratios printed at the end should sit near 1.00.
//   - sign-in with a wrong password: Argon2 runs against the real hash or a dummy one;
//   - forgot password: the look-up, token and mail happen after the answer has gone;
//   - sign-up: a new address and a taken one (an INSERT that succeeds or conflicts, after
//     the same Argon2 hash; the mails go after the answer).
// The server runs with --rate-limits=false: the point here is timing, not throttling.
#include <benchmark/benchmark.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <thread>

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

using MakeBody = std::function<boost::json::object(int64_t)>;

// One pair, interleaved: each iteration sends the known-address request and then the
// unknown-address one, so drift in the machine (frequency, caches, other load) hits both
// sides alike. Only the requests are timed. gap: an untimed pause after each request, so
// work the server does after answering (the mail of a forgot-password) is over before the
// next probe, as it would be for a lone probe.
void pair(benchmark::State& state, const std::string& name, const std::string& path,
          MakeBody known, MakeBody unknown, long expectedStatus,
          std::chrono::milliseconds gap = std::chrono::milliseconds(0)) {
  auto& s = server();
  if (!s.process) {
    state.SkipWithError("server did not start");
    return;
  }
  client::HttpClient http(s.process->url());
  double seconds[2] = {0, 0};
  int64_t calls = 0;
  for (auto _ : state) {
    double iteration = 0;
    for (int side = 0; side < 2; ++side) {
      auto started = std::chrono::steady_clock::now();
      auto response = http.postJson(path, (side == 0 ? known : unknown)(calls));
      double took =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      if (!response || response->status != expectedStatus) {
        state.SkipWithError(("unexpected answer from " + path).c_str());
        return;
      }
      seconds[side] += took;
      iteration += took;
      if (gap.count() > 0) std::this_thread::sleep_for(gap);
    }
    state.SetIterationTime(iteration);
    ++calls;
  }
  if (calls > 0) {
    meanSeconds[name + "-known"] = seconds[0] / static_cast<double>(calls);
    meanSeconds[name + "-unknown"] = seconds[1] / static_cast<double>(calls);
  }
}

MakeBody same(boost::json::object body) {
  return [body = std::move(body)](int64_t) { return body; };
}

void SignInWrongPassword(benchmark::State& state) {
  pair(state, "signin", "/api/v1/auth/signin",
       same({{"email", server().knownEmail}, {"password", "not the password"}}),
       same({{"email", "nobody-here@example.com"}, {"password", "not the password"}}), 401);
}
void ForgotPassword(benchmark::State& state) {
  pair(state, "forgot", "/api/v1/auth/forgot", same({{"email", server().knownEmail}}),
       same({{"email", "nobody-here@example.com"}}), 202, std::chrono::milliseconds(10));
}
void SignUp(benchmark::State& state) {
  static int64_t runs = 0;  // Google Benchmark calls this more than once; addresses stay new
  const int64_t run = runs++;
  pair(state, "signup", "/api/v1/auth/signup",
       same({{"email", server().knownEmail}, {"password", "a long enough password"}}),
       [run](int64_t i) {
         return boost::json::object{
             {"email", "new-" + std::to_string(run) + "-" + std::to_string(i) + "@example.com"},
             {"password", "a long enough password"}};
       },
       202);
}

BENCHMARK(SignInWrongPassword)->Unit(benchmark::kMillisecond)->MinTime(3.0)->UseManualTime();
BENCHMARK(ForgotPassword)->Unit(benchmark::kMillisecond)->MinTime(3.0)->UseManualTime();
BENCHMARK(SignUp)->Unit(benchmark::kMillisecond)->MinTime(3.0)->UseManualTime();

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
  ratio("sign-up (a taken address / a new one)", "signup-known", "signup-unknown");
  server().process.reset();
  return 0;
}
