// Reading a file the user named on the command line (deploy's code, invoke's --event @file),
// with errors that say which file and why. Errors here are the user's input, so the CLI
// reports them as usage errors.
#pragma once

#include <string>

#include "common/error.h"

namespace stratus::client {

// The whole file, byte for byte: file_not_found, not_a_file, file_unreadable.
Result<std::string> readLocalFile(const std::string& path);

}  // namespace stratus::client
