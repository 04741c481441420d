#include "support/workerd_server.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <chrono>

#include "support/readiness.h"

namespace stratus::bench {
namespace fs = std::filesystem;

namespace {

constexpr int kControlFd = 3;

// Reads control messages (one JSON object per line) until the "listen" event of the
// "http" socket; returns its port.
Result<int> readListenPort(int fd, ChildProcess& child, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::string buffer;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd pfd{fd, POLLIN, 0};
    if (::poll(&pfd, 1, 100) > 0) {
      char chunk[512];
      ssize_t n = ::read(fd, chunk, sizeof chunk);
      if (n > 0) buffer.append(chunk, static_cast<std::size_t>(n));
    }
    for (auto end = buffer.find('\n'); end != std::string::npos; end = buffer.find('\n')) {
      std::string line = buffer.substr(0, end);
      buffer.erase(0, end + 1);
      boost::system::error_code ec;
      auto message = boost::json::parse(line, ec);
      if (ec || !message.is_object()) continue;
      const auto& object = message.as_object();
      const auto* event = object.if_contains("event");
      const auto* socket = object.if_contains("socket");
      const auto* port = object.if_contains("port");
      if (event && socket && port && event->is_string() && event->as_string() == "listen" &&
          socket->is_string() && socket->as_string() == "http" && port->is_int64())
        return static_cast<int>(port->as_int64());
    }
    if (!child.running()) break;
  }
  return fail(ErrorKind::unavailable, "workerd_not_ready", "workerd reported no listening port");
}

}  // namespace

fs::path WorkerdServer::fixtureDir() {
  return fs::path(STRATUS_SOURCE_DIR) / "bench" / "fixtures" / "workerd";
}

fs::path WorkerdServer::binary() { return fixtureDir() / "node_modules" / "workerd" / "bin" / "workerd"; }

bool WorkerdServer::available() { return ::access(binary().c_str(), X_OK) == 0; }

std::string WorkerdServer::skipReason() {
  return "workerd is not installed; run scripts/install-bench-deps.sh (npm ci --prefix "
         "bench/fixtures/workerd)";
}

std::string WorkerdServer::version() {
  auto run = runCommand({binary().string(), "--version"}, std::chrono::seconds(20));
  if (!run || run->exitCode != 0) return "unknown";
  std::string text = run->out;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

Result<std::unique_ptr<WorkerdServer>> WorkerdServer::start() {
  if (!available()) return fail(ErrorKind::unavailable, "workerd_missing", skipReason());
  std::unique_ptr<WorkerdServer> server(new WorkerdServer());
  const auto logFile = server->dir_.path() / "workerd.log";
  int control[2];
  if (::pipe2(control, O_CLOEXEC) != 0) return sysError("pipe", errno);
  const auto spawned = std::chrono::steady_clock::now();
  auto sinceSpawn = [&spawned] {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - spawned)
        .count();
  };
  auto child = ChildProcess::spawn({.argv = {binary().string(), "serve", "config.capnp",
                                             "--socket-addr", "http=127.0.0.1:0", "--control-fd",
                                             std::to_string(kControlFd)},
                                    .workDir = fixtureDir(),
                                    .logFile = logFile,
                                    .passFds = {{control[1], kControlFd}}});
  ::close(control[1]);
  server->control_.reset(control[0]);
  if (!child) return propagate(child.error(), "start workerd");
  server->process_ = std::move(*child);
  auto port = readListenPort(server->control_.get(), server->process_, std::chrono::seconds(30));
  if (!port) return propagate(port.error(), "start workerd: " + readFile(logFile));
  server->listeningMs_ = sinceSpawn();
  server->url_ = "http://127.0.0.1:" + std::to_string(*port);
  // Retried every millisecond, so the time to the first answer is not rounded up to a
  // longer pause (the socket listens already: the first try normally gets it).
  if (auto ok = waitUntilAnswering(server->url_ + "/", server->process_, logFile,
                                   std::chrono::seconds(30), std::chrono::milliseconds(1));
      !ok)
    return propagate(ok.error(), "start workerd");
  server->answeredMs_ = sinceSpawn();
  return server;
}

}  // namespace stratus::bench
