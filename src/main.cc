// One binary: the server (`stratus serve`) and the client commands share it.
#include <CLI/CLI.hpp>
#include <csignal>

#include "app/admin_commands.h"
#include "app/cli_commands.h"
#include "app/runtimes_command.h"
#include "app/serve_command.h"

int main(int argc, char** argv) {
  // A write to a pipe whose reader died (a sandbox's, a child's) is an error to handle
  // where it happens, never a reason for the whole server to die.
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"Stratus: run functions in isolation on your own machines"};
  app.require_subcommand(1);
  int exitCode = 0;
  stratus::app::registerServeCommand(app, exitCode);
  stratus::app::registerClientCommands(app, exitCode);
  stratus::app::registerAdminCommands(app, exitCode);
  stratus::app::registerRuntimesCommands(app, exitCode);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help prints and exits 0; every other parse failure is a usage error (exit 2).
    return app.exit(error) == 0 ? 0 : 2;
  }
  return exitCode;
}
