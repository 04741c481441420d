#pragma once

#include <CLI/CLI.hpp>

namespace stratus::app {
// `stratus serve`: the API server with the configured storage and executors.
void registerServeCommand(CLI::App& app, int& exitCode);
}  // namespace stratus::app
