#include "support/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace stratus::bench {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

int statusCode(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Waits up to `limit` for pid; -2 while it still runs then.
int waitFor(pid_t pid, std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  for (;;) {
    int status = 0;
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return statusCode(status);
    if (done < 0 && errno != EINTR) return -1;
    if (Clock::now() >= deadline) return -2;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// Fork and exec; everything the child touches is prepared before fork, since after it only
// async-signal-safe calls are allowed.
Result<pid_t> forkExec(const SpawnOptions& options, int outFd, int errFd) {
  if (options.argv.empty()) return invalid("empty_command", "no command to run");
  auto program = findExecutable(options.argv.front());
  if (!program) return fail(ErrorKind::not_found, "command_not_found",
                            options.argv.front() + " is not on PATH");
  std::vector<std::string> args = options.argv;
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string dir = options.workDir.string();
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return sysError("fork", errno);
  if (pid > 0) return pid;
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);
  const int devNull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  ::dup2(devNull, STDIN_FILENO);
  ::dup2(outFd >= 0 ? outFd : devNull, STDOUT_FILENO);
  ::dup2(errFd >= 0 ? errFd : devNull, STDERR_FILENO);
  for (auto [from, to] : options.passFds) {
    if (from == to) ::fcntl(from, F_SETFD, 0);  // dup2 onto itself keeps FD_CLOEXEC
    else ::dup2(from, to);
  }
  if (!dir.empty() && ::chdir(dir.c_str()) != 0) ::_exit(127);
  ::execv(program->c_str(), argv.data());
  ::_exit(127);
}

}  // namespace

std::optional<std::string> findExecutable(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    if (::access(name.c_str(), X_OK) == 0) return name;
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  while (!dirs.empty()) {
    std::string_view dir = dirs.substr(0, dirs.find(':'));
    dirs.remove_prefix(std::min(dirs.size(), dir.size() + 1));
    if (dir.empty()) continue;
    std::string candidate = std::string(dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0 && !fs::is_directory(candidate)) return candidate;
  }
  return std::nullopt;
}

Result<ChildProcess> ChildProcess::spawn(const SpawnOptions& options) {
  int log = -1;
  if (!options.logFile.empty()) {
    log = ::open(options.logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log < 0) return sysError("open " + options.logFile.string(), errno);
  }
  auto pid = forkExec(options, log, log);
  if (log >= 0) ::close(log);
  if (!pid) return std::unexpected(pid.error());
  return ChildProcess(*pid);
}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    stop();
    pid_ = std::exchange(other.pid_, -1);
  }
  return *this;
}

bool ChildProcess::running() {
  if (pid_ <= 0) return false;
  if (waitFor(pid_, std::chrono::milliseconds(0)) == -2) return true;
  pid_ = -1;
  return false;
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = waitFor(pid_, grace);
  if (status == -2) {
    ::kill(pid_, SIGKILL);
    status = waitFor(pid_, std::chrono::seconds(10));
  }
  pid_ = -1;
  return status;
}

Result<CommandResult> runCommand(const std::vector<std::string>& argv, std::chrono::seconds limit) {
  ScratchDir scratch("stratus-bench-cmd");
  const fs::path outPath = scratch.path() / "out", errPath = scratch.path() / "err";
  const int out = ::open(outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const int err = ::open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0 || err < 0) {
    if (out >= 0) ::close(out);
    if (err >= 0) ::close(err);
    return sysError("open command output", errno);
  }
  const auto started = Clock::now();
  auto pid = forkExec(SpawnOptions{.argv = argv}, out, err);
  ::close(out);
  ::close(err);
  if (!pid) return std::unexpected(pid.error());
  CommandResult result;
  result.exitCode = waitFor(*pid, limit);
  if (result.exitCode == -2) {
    result.timedOut = true;
    ::kill(*pid, SIGKILL);
    result.exitCode = waitFor(*pid, std::chrono::seconds(10));
  }
  result.elapsed = Clock::now() - started;
  result.out = readFile(outPath);
  result.err = readFile(errPath);
  return result;
}

ScratchDir::ScratchDir(const std::string& prefix) {
  std::string pattern = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Status writeFile(const fs::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) return sysError("write " + path.string(), errno);
  return {};
}

}  // namespace stratus::bench
