#include "support/readiness.h"

#include <thread>

#include "client/http_client.h"

namespace stratus::bench {
namespace {

std::unexpected<Error> died(const std::filesystem::path& logFile) {
  return fail(ErrorKind::unavailable, "server_died",
              "the server exited while starting; its log:\n" + readFile(logFile));
}

}  // namespace

Status waitUntilAnswering(const std::string& url, ChildProcess& child,
                          const std::filesystem::path& logFile, std::chrono::seconds limit,
                          std::chrono::milliseconds pause) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  client::HttpClient http(url);
  http.setTimeout(std::chrono::seconds(2));
  std::string last = "no answer";
  while (std::chrono::steady_clock::now() < deadline) {
    if (!child.running()) return died(logFile);
    auto response = http.get(url);
    if (response && response->status == 200) return {};
    last = response ? "status " + std::to_string(response->status) : response.error().message;
    std::this_thread::sleep_for(pause);
  }
  return fail(ErrorKind::unavailable, "server_not_ready",
              url + " did not answer 200 in time (" + last + ")");
}

Result<std::string> waitForLine(const std::filesystem::path& file, ChildProcess& child,
                                const std::filesystem::path& logFile, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    std::string text = readFile(file);
    if (auto end = text.find('\n'); end != std::string::npos) return text.substr(0, end);
    if (!child.running()) return died(logFile);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return fail(ErrorKind::unavailable, "server_not_ready",
              "the server wrote no port in time; its log:\n" + readFile(logFile));
}

}  // namespace stratus::bench
