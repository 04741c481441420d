#include "app/cli_commands.h"

#include "app/cli_common.h"

namespace stratus::app {

void registerClientCommands(CLI::App& app, int& exitCode) {
  cli::registerAuthCommands(app, exitCode);
  cli::registerDeployCommand(app, exitCode);
  cli::registerFunctionCommands(app, exitCode);
  cli::registerKeyCommands(app, exitCode);
}

}  // namespace stratus::app
