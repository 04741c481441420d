// Child processes for the benchmark drivers: servers that run for the length of one
// measurement (the ceiling server, workerd) and commands run to completion (wrk, docker,
// tar). A server child gets SIGKILL if the driver dies, so a crashed run leaves nothing
// listening.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"

namespace stratus::bench {

// The first executable `name` on PATH (or name itself when it holds a '/').
std::optional<std::string> findExecutable(const std::string& name);

struct SpawnOptions {
  std::vector<std::string> argv;  // argv[0]: a path, or a name looked up on PATH
  std::filesystem::path workDir;  // empty: the driver's own
  std::filesystem::path logFile;  // stdout and stderr appended here; empty: /dev/null
  // Descriptors handed to the child: {descriptor in the driver, number in the child}.
  std::vector<std::pair<int, int>> passFds;
};

class ChildProcess {
 public:
  static Result<ChildProcess> spawn(const SpawnOptions& options);
  ChildProcess() = default;
  ChildProcess(ChildProcess&& other) noexcept : pid_(std::exchange(other.pid_, -1)) {}
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ~ChildProcess() { stop(); }

  pid_t pid() const { return pid_; }
  // False once it has exited (and then it is reaped).
  bool running();
  // SIGTERM, up to `grace` to exit, then SIGKILL. Returns the exit status (128 + signal
  // when killed by one), or -1 when there was nothing to stop.
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  pid_t pid_ = -1;
};

struct CommandResult {
  int exitCode = -1;  // 128 + signal when killed by one
  bool timedOut = false;
  std::string out, err;
  std::chrono::nanoseconds elapsed{0};  // from spawn to exit
};

// Runs argv to completion (killed after `limit`), capturing stdout and stderr. An Error
// only when it could not be started.
Result<CommandResult> runCommand(const std::vector<std::string>& argv,
                                 std::chrono::seconds limit = std::chrono::seconds(120));

// A scratch folder removed with its contents when it goes.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& prefix = "stratus-bench");
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string readFile(const std::filesystem::path& path);
Status writeFile(const std::filesystem::path& path, std::string_view content);

}  // namespace stratus::bench
