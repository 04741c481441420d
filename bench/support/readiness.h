// Waiting for a freshly started server: a child that died is reported at once with its
// log, instead of after the whole wait.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "common/error.h"
#include "support/child_process.h"

namespace stratus::bench {

// Until GET url answers 200, the child exits, or `limit` passes; tried again `pause` after
// each miss.
Status waitUntilAnswering(const std::string& url, ChildProcess& child,
                          const std::filesystem::path& logFile,
                          std::chrono::seconds limit = std::chrono::seconds(30),
                          std::chrono::milliseconds pause = std::chrono::milliseconds(50));

// Until `file` holds a line ending in '\n' (a port written by the child); returns the line.
Result<std::string> waitForLine(const std::filesystem::path& file, ChildProcess& child,
                                const std::filesystem::path& logFile,
                                std::chrono::seconds limit = std::chrono::seconds(30));

}  // namespace stratus::bench
