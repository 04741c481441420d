// Operator commands that act on a node's configuration rather than on a server:
//   stratus migrate   apply pending database migrations (or --dry-run to only report)
//   stratus doctor    check every configured dependency and say exactly what is wrong
// Both take the server's flags and environment, so they check the setup `serve` would use.
#pragma once

#include <CLI/CLI.hpp>

namespace stratus::app {

// exitCode: 0 all good, 1 something is wrong (said on stderr), 2 bad configuration.
void registerAdminCommands(CLI::App& app, int& exitCode);

}  // namespace stratus::app
