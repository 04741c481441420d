// A real `stratus serve` for the benchmarks, on a free port with a throwaway data folder
// (tests/e2e/support's ServerProcess), with a verified account and an API key, and
// functions deployed through the HTTP API as a user would.
#pragma once

#include <boost/json/object.hpp>
#include <memory>
#include <string>

#include "common/error.h"
#include "support/server_process.h"

namespace stratus::bench {

struct StratusTarget {
  std::unique_ptr<e2e::ServerProcess> server;
  e2e::Account account;  // userId and apiKey

  const std::string& url() const { return server->url(); }
};

// Starts the server and signs a user up (verified through the outbox mail), with a key.
Result<StratusTarget> startStratus();

struct FunctionSource {
  std::string name;
  std::string runtime;  // "python3.11", "nodejs20"
  std::string handler;  // "hello.handler"
  std::string mode;     // "handler" or "script"; empty: not sent (the server's default)
  std::string fileName;
  std::string code;
};

// POST /api/v1/functions (multipart, the documented upload fields). The answer's
// `function` object on 201; the server's error otherwise.
Result<boost::json::object> deployFunction(const StratusTarget& target,
                                           const FunctionSource& source);

}  // namespace stratus::bench
