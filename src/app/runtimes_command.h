// `stratus runtimes`: the Docker executor's runtime images, built on this machine.
//   stratus runtimes build [--runtime NAME]... [--force] [--mirror URL] [--work-dir DIR]
//   stratus runtimes ls
// `build` debootstraps each runtime's Debian root and imports it through the Engine API
// (app/runtime_image_build.h), skipping images already built from the current recipe.
#pragma once

#include <CLI/CLI.hpp>

namespace stratus::app {

// exitCode: 0 done, 1 something failed (said on stderr), 2 bad usage, 130 interrupted.
void registerRuntimesCommands(CLI::App& app, int& exitCode);

}  // namespace stratus::app
