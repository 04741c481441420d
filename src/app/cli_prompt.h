// Asking for a password on the controlling terminal without echoing it.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"

namespace stratus::app::cli {

// Writes prompt to /dev/tty and reads one line with echo off; echo comes back even when the
// user presses Ctrl-C. no_terminal when there is no terminal (scripts, CI): those should
// pass --password or STRATUS_PASSWORD.
Result<std::string> readPassword(std::string_view prompt);

}  // namespace stratus::app::cli
