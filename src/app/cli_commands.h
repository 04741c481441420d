// The client half of the `stratus` command line: signup, login, deploy, ls, invoke, logs, rm
// and keys, all talking to a Stratus server over its v1 HTTP API.
#pragma once

#include <CLI/CLI.hpp>

namespace stratus::app {

// Adds the client subcommands to app. The callback of whichever subcommand runs stores its
// exit status in exitCode (0 ok, 1 API error, 2 usage, 3 server unreachable, 4 not
// authenticated; `invoke` passes on the function's status, 124 on timeout). exitCode must
// outlive app's parse.
void registerClientCommands(CLI::App& app, int& exitCode);

}  // namespace stratus::app
