#include "app/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <sstream>
#include <utility>

extern char** environ;

namespace stratus::app {
namespace {

// posix_spawn file actions and attributes own memory: released however spawn() returns.
struct SpawnActions {
  posix_spawn_file_actions_t actions;
  SpawnActions() { posix_spawn_file_actions_init(&actions); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions); }
};
struct SpawnAttributes {
  posix_spawnattr_t attributes;
  SpawnAttributes() { posix_spawnattr_init(&attributes); }
  ~SpawnAttributes() { posix_spawnattr_destroy(&attributes); }
};

}  // namespace

std::string ChildProcess::findProgram(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = std::getenv("PATH");
  std::stringstream folders(std::string(path ? path : "") + ":/usr/sbin:/sbin:/usr/bin:/bin");
  std::string folder;
  while (std::getline(folders, folder, ':')) {
    if (folder.empty()) continue;
    const std::string candidate = folder + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

Result<ChildProcess> ChildProcess::spawn(const std::vector<std::string>& argv, Output output,
                                         bool ownProcessGroup) {
  if (argv.empty()) return internalError("spawn: no program");
  const std::string program = findProgram(argv[0]);
  if (program.empty()) {
    return fail(ErrorKind::unavailable, "program_missing", argv[0] + " is not installed");
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return sysError("pipe", errno);
  UniqueFd readEnd(fds[0]);
  UniqueFd writeEnd(fds[1]);

  SpawnActions actions;
  posix_spawn_file_actions_adddup2(&actions.actions, writeEnd.get(), 1);
  if (output == Output::merged)
    posix_spawn_file_actions_adddup2(&actions.actions, writeEnd.get(), 2);
  posix_spawn_file_actions_addopen(&actions.actions, 0, "/dev/null", O_RDONLY, 0);
  SpawnAttributes attributes;
  short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
  if (ownProcessGroup) {
    flags |= POSIX_SPAWN_SETPGROUP;
    posix_spawnattr_setpgroup(&attributes.attributes, 0);
  }
  // The child starts with default dispositions and nothing blocked, whatever we ignore
  // (SIGPIPE) or block: tar must die of a broken pipe, not loop on EPIPE.
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attributes.attributes, &all);
  posix_spawnattr_setsigmask(&attributes.attributes, &none);
  posix_spawnattr_setflags(&attributes.attributes, flags);

  std::vector<char*> raw;
  for (const auto& arg : argv) raw.push_back(const_cast<char*>(arg.c_str()));
  raw.push_back(nullptr);
  pid_t pid = -1;
  const int err = ::posix_spawn(&pid, program.c_str(), &actions.actions, &attributes.attributes,
                                raw.data(), environ);
  if (err != 0) return sysError("start " + argv[0], err);
  return ChildProcess(pid, std::move(readEnd), ownProcessGroup);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      output_(std::move(other.output_)),
      group_(other.group_) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    stop();
    pid_ = std::exchange(other.pid_, -1);
    output_ = std::move(other.output_);
    group_ = other.group_;
  }
  return *this;
}

ChildProcess::~ChildProcess() { stop(); }

void ChildProcess::stop() {
  if (pid_ < 0) return;
  signal(SIGKILL);
  output_.reset();
  (void)wait();
}

void ChildProcess::signal(int signal) {
  if (pid_ < 0) return;
  ::kill(group_ ? -pid_ : pid_, signal);
}

Result<int> ChildProcess::wait() {
  if (pid_ < 0) return internalError("wait: the process was already reaped");
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0) {
    if (errno != EINTR) return sysError("waitpid", errno);
  }
  pid_ = -1;
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

Result<std::string> runToEnd(const std::vector<std::string>& argv, std::size_t maxBytes) {
  auto child = ChildProcess::spawn(argv, ChildProcess::Output::merged, false);
  if (!child) return std::unexpected(std::move(child.error()));
  std::string output;
  char buffer[4096];
  for (;;) {
    const ssize_t got = ::read(child->output(), buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    output.append(buffer, std::min(static_cast<std::size_t>(got),
                                   maxBytes - std::min(maxBytes, output.size())));
  }
  auto status = child->wait();
  if (!status) return std::unexpected(std::move(status.error()));
  if (*status != 0) {
    std::string tail = output.size() > 600 ? output.substr(output.size() - 600) : output;
    return internalError(argv[0] + " exited with status " + std::to_string(*status) + ": " + tail);
  }
  return output;
}

}  // namespace stratus::app
