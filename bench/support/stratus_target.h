// A real `stratus serve` for the benchmarks, on a free port with a throwaway data folder
// (tests/e2e/support's ServerProcess), with a verified account and an API key, and
// functions deployed through the HTTP API as a user would.
#pragma once

#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "support/server_process.h"

namespace stratus::bench {

struct StratusTarget {
  std::unique_ptr<e2e::ServerProcess> server;
  e2e::Account account;  // userId and apiKey

  const std::string& url() const { return server->url(); }
};

// Starts the server (with `extraArgs` after the usual flags, e.g. {"--ready-sandboxes",
// "0"}) and signs a user up (verified through the outbox mail), with a key.
Result<StratusTarget> startStratus(std::vector<std::string> extraArgs = {});

struct FunctionSource {
  std::string name;
  std::string runtime;  // "python3.11", "nodejs20"
  std::string handler;  // "hello.handler"
  std::string mode;     // "handler" or "script"; empty: not sent (the server's default)
  std::string fileName;
  std::string code;
  std::string prewarm;  // instances kept started ahead; empty: not sent (none)
  std::string executor;  // "sandbox", "docker"; empty: not sent (the server's default)
};

// POST /api/v1/functions (multipart, the documented upload fields). The answer's
// `function` object on 201; the server's error otherwise.
Result<boost::json::object> deployFunction(const StratusTarget& target,
                                           const FunctionSource& source);

// DELETE /api/v1/functions/{name}: the function goes, and with it its instances.
Status deleteFunction(const StratusTarget& target, const std::string& name);

// GET /metrics, the Prometheus text.
Result<std::string> fetchMetrics(const StratusTarget& target);

}  // namespace stratus::bench
