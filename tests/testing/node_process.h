// What the Node.js-based test services (tests/fixtures/*) share: finding node, starting a
// fixture script as a child that dies with the test binary, and stopping it.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stratus::testing {

// The first executable `node` on PATH.
inline std::optional<std::string> nodeBinary() {
  const char* path = std::getenv("PATH");
  std::string_view directories = path ? path : "";
  while (!directories.empty()) {
    std::string_view directory = directories.substr(0, directories.find(':'));
    directories.remove_prefix(std::min(directories.size(), directory.size() + 1));
    if (directory.empty()) continue;
    std::string candidate = std::string(directory) + "/node";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

// Runs `node script args...` in `workDir`, stdin from /dev/null, output appended to
// `logFile` (or inherited when empty). The child gets SIGKILL when the test binary dies,
// so a crashed test never leaves a server running. Returns the pid, or -1.
inline pid_t spawnNodeScript(const std::string& node, std::vector<std::string> arguments,
                             const std::filesystem::path& workDir,
                             const std::filesystem::path& logFile = {}) {
  // Everything the child needs is made before fork: after it, only async-signal-safe calls.
  arguments.insert(arguments.begin(), node);
  std::vector<char*> argv;
  for (auto& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  const std::string directory = workDir.string();
  const std::string log = logFile.string();
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);
  const int devNull = ::open("/dev/null", O_RDONLY);
  if (devNull >= 0) ::dup2(devNull, STDIN_FILENO);
  if (!log.empty()) {
    const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (out >= 0) {
      ::dup2(out, STDOUT_FILENO);
      ::dup2(out, STDERR_FILENO);
    }
  }
  if (::chdir(directory.c_str()) != 0) ::_exit(127);
  ::execv(argv[0], argv.data());
  ::_exit(127);
}

// SIGKILL and reap; a no-op for pid <= 0.
inline void killAndReap(pid_t pid) {
  if (pid <= 0) return;
  ::kill(pid, SIGKILL);
  while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace stratus::testing
