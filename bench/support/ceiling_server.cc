#include "support/ceiling_server.h"

#include "support/readiness.h"

namespace stratus::bench {

Result<std::unique_ptr<CeilingServer>> CeilingServer::start() {
  std::unique_ptr<CeilingServer> server(new CeilingServer());
  const auto portFile = server->dir_.path() / "port";
  const auto logFile = server->dir_.path() / "server.log";
  auto child = ChildProcess::spawn(
      {.argv = {STRATUS_CEILING_BINARY, "--port-file", portFile.string()}, .logFile = logFile});
  if (!child) return propagate(child.error(), "start the ceiling server");
  server->process_ = std::move(*child);
  auto port = waitForLine(portFile, server->process_, logFile);
  if (!port) return propagate(port.error(), "start the ceiling server");
  server->url_ = "http://127.0.0.1:" + *port;
  if (auto ok = waitUntilAnswering(server->url_ + "/", server->process_, logFile); !ok)
    return propagate(ok.error(), "start the ceiling server");
  return server;
}

}  // namespace stratus::bench
