// Running the host programs image building needs (ldd, mkfs), to their end.
#pragma once

#include <string>
#include <vector>

#include "common/error.h"

namespace stratus::nanos {

// Runs argv (argv[0] looked up in PATH) with `input` on its stdin and returns its stdout;
// stderr is kept for the error. Fails when it cannot start or exits non-zero, with the
// last of what it wrote.
Result<std::string> runProgram(const std::vector<std::string>& argv, const std::string& input = {});

}  // namespace stratus::nanos
