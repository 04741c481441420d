#pragma once

#include <CLI/CLI.hpp>

#include <map>
#include <string>

#include "app/serve_config.h"

namespace stratus::app {
// The server's flags, which `migrate` and `doctor` take too so they check the same setup.
void addServeFlags(CLI::App& command, RawSettings& settings);
// The process environment as a map, for withEnvironment().
std::map<std::string, std::string> processEnvironment();

// `stratus serve`: the API server with the configured storage and executors.
void registerServeCommand(CLI::App& app, int& exitCode);
}  // namespace stratus::app
