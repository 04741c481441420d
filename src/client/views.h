// How the CLI shows API responses to a person: tables for lists, a few lines for a single
// object. Input is the parsed JSON exactly as the server sent it; missing or oddly typed
// fields show as "-" instead of failing, so an older or newer server still prints.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

namespace stratus::client {

// GET /api/v1/functions: NAME RUNTIME VERSION TIMEOUT MEMORY PUBLIC UPDATED.
std::string functionsTable(const boost::json::value& response);

// GET /api/v1/functions/{name}/invocations: TIME STATUS DURATION EXCERPT.
std::string invocationsTable(const boost::json::value& response);

// GET /api/v1/api-keys: ID NAME PREFIX CREATED LAST USED STATUS.
std::string apiKeysTable(const boost::json::value& response);

// The STATUS cell of one invocation: "ok", "error (exit 2)", "timeout", "killed", ...
std::string invocationStatus(const boost::json::value& invocation);

// A function after deploy: runtime, handler, mode, version, limits, concurrency, prewarm,
// public, invoke URL; one per line.
std::string functionSummary(const boost::json::value& function);

// Ready-to-paste shell lines: export STRATUS_URL=... and export STRATUS_API_KEY=...
std::string exportLines(std::string_view url, std::string_view apiKey);

}  // namespace stratus::client
