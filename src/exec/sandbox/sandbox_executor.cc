#include "exec/sandbox/sandbox_executor.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <chrono>
#include <fstream>
#include <mutex>
#include <set>

#include "common/crypto.h"
#include "common/log.h"
#include "common/unique_fd.h"
#include "exec/sandbox/cgroup.h"
#include "exec/sandbox/launch.h"
#include "exec/sandbox/seccomp.h"

namespace stratus::exec::sandbox {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// Output of one stream, kept up to the cap; the rest is read and dropped so the program is
// never blocked on a full pipe (nor told anything by an EPIPE).
struct Capture {
  UniqueFd fd;
  std::string data;
  bool truncated = false;
  bool open = true;

  void drain(std::size_t cap) {
    char buffer[65536];
    for (;;) {
      ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
      if (n > 0) {
        std::size_t room = data.size() < cap ? cap - data.size() : 0;
        std::size_t keep = std::min(room, static_cast<std::size_t>(n));
        data.append(buffer, keep);
        if (keep < static_cast<std::size_t>(n)) truncated = true;
        continue;
      }
      if (n == 0) open = false;
      return;  // EAGAIN: nothing more for now
    }
  }
};

class SandboxExecutor final : public Executor {
 public:
  SandboxExecutor(SandboxOptions options, CgroupVersion version, SeccompProgram seccomp)
      : options_(std::move(options)), seccomp_(std::move(seccomp)) {
    context_.cgroupVersion = version;
    context_.cgroupName = options_.cgroupName;
    context_.stateDir = options_.stateDir;
    context_.seccomp = &seccomp_;
    context_.tmpfsSizeMb = options_.tmpfsSizeMb;
    context_.pidsMax = options_.pidsMax;
    context_.cpuPercent = options_.cpuPercent;
  }

  std::string name() const override { return "sandbox"; }

  void terminateAll() override {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (pid_t pid : running_) ::kill(pid, SIGKILL);
  }

  Result<ScriptResult> runScript(const ScriptRequest& request) override;

 private:
  uid_t nextHostId() {
    return options_.uidBase + static_cast<uid_t>(counter_.fetch_add(1) % options_.uidCount);
  }
  bool track(pid_t pid) {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    running_.insert(pid);
    return true;
  }
  void untrack(pid_t pid) {
    std::lock_guard lock(mutex_);
    running_.erase(pid);
  }

  SandboxOptions options_;
  SeccompProgram seccomp_;
  LaunchContext context_;
  std::atomic<uint64_t> counter_{0};
  std::mutex mutex_;
  std::set<pid_t> running_;
  bool stopping_ = false;
};

Result<ScriptResult> SandboxExecutor::runScript(const ScriptRequest& request) {
  auto runtime = options_.runtimes.find(request.runtime);
  if (runtime == options_.runtimes.end())
    return invalid("invalid_runtime", "the sandbox has no runtime " + request.runtime);

  LaunchSpec spec;
  spec.id = request.invocationId.empty() ? newId() : request.invocationId;
  spec.hostId = nextHostId();
  spec.codeDir = request.codeDir;
  spec.argv = runtime->second;
  spec.argv.push_back("/var/task/" + request.entry);
  spec.argv.insert(spec.argv.end(), request.args.begin(), request.args.end());
  spec.env = {"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "TMPDIR=/tmp", "LANG=C.UTF-8",
              "PYTHONDONTWRITEBYTECODE=1", "PYTHONUNBUFFERED=1",
              "STRATUS_INVOCATION_ID=" + spec.id};
  for (const auto& [key, value] : request.env) spec.env.push_back(key + "=" + value);
  spec.memoryBytes = static_cast<int64_t>(request.memoryMb) << 20;
  // A backstop only: the wall-clock timeout below is what ends runs.
  spec.cpuSeconds = static_cast<rlim_t>(request.timeoutS) + 2;

  auto started = Clock::now();
  auto launched = launchSandbox(context_, spec);
  if (!launched) return std::unexpected(launched.error());
  Sandbox& sandbox = *launched;
  pid_t pid = sandbox.init.pid();
  if (!track(pid)) return fail(ErrorKind::unavailable, "shutting_down", "the server is stopping");
  struct Untrack {
    SandboxExecutor* self;
    pid_t pid;
    ~Untrack() { self->untrack(pid); }
  } untrack{this, pid};

  Capture stdoutCapture{std::move(sandbox.stdoutRead)}, stderrCapture{std::move(sandbox.stderrRead)};
  for (auto* c : {&stdoutCapture, &stderrCapture}) ::fcntl(c->fd.get(), F_SETFL, O_NONBLOCK);
  auto deadline = started + std::chrono::seconds(request.timeoutS);
  bool timedOut = false, exited = false;
  while (!exited) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      timedOut = true;
      sandbox.init.kill();  // pid 1 of the namespace: everything in it dies too
      sandbox.cgroup.killAll();
      break;
    }
    pollfd fds[3] = {{sandbox.init.pidfd(), POLLIN, 0},
                     {stdoutCapture.open ? stdoutCapture.fd.get() : -1, POLLIN, 0},
                     {stderrCapture.open ? stderrCapture.fd.get() : -1, POLLIN, 0}};
    int ready = ::poll(fds, 3, static_cast<int>(std::min<long>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) return sysError("poll sandbox", errno);
    if (fds[1].revents) stdoutCapture.drain(options_.outputCapBytes);
    if (fds[2].revents) stderrCapture.drain(options_.outputCapBytes);
    if (fds[0].revents) exited = true;
  }
  sandbox.init.reap();
  auto finished = Clock::now();
  // Init's exit made the kernel kill the rest; the pipes close as the last writers die.
  auto drainDeadline = Clock::now() + std::chrono::milliseconds(500);
  while ((stdoutCapture.open || stderrCapture.open) && Clock::now() < drainDeadline) {
    pollfd fds[2] = {{stdoutCapture.open ? stdoutCapture.fd.get() : -1, POLLIN, 0},
                     {stderrCapture.open ? stderrCapture.fd.get() : -1, POLLIN, 0}};
    ::poll(fds, 2, 50);
    stdoutCapture.drain(options_.outputCapBytes);
    stderrCapture.drain(options_.outputCapBytes);
  }

  ScriptResult result;
  result.durationMs =
      std::chrono::duration_cast<std::chrono::milliseconds>(finished - started).count();
  result.stdoutData = std::move(stdoutCapture.data);
  result.stderrData = std::move(stderrCapture.data);
  result.stdoutTruncated = stdoutCapture.truncated;
  result.stderrTruncated = stderrCapture.truncated;
  CgroupUsage usage = sandbox.cgroup.usage();
  result.memoryPeakBytes = usage.memoryPeakBytes;

  std::optional<int> programStatus = sandbox.programStatus();
  if (timedOut) {
    result.timedOut = true;
    result.signal = SIGKILL;
    result.exitCode = 128 + SIGKILL;
    result.error = "timed out after " + std::to_string(request.timeoutS) + " s";
  } else if (programStatus && WIFEXITED(*programStatus)) {
    result.exitCode = WEXITSTATUS(*programStatus);
  } else if (programStatus && WIFSIGNALED(*programStatus)) {
    result.signal = WTERMSIG(*programStatus);
    result.exitCode = 128 + result.signal;
  } else {
    result.signal = SIGKILL;
    result.exitCode = 128 + SIGKILL;
    result.error = "the run was stopped by the platform";
  }
  if (usage.oomKills > 0) {
    result.oomKilled = true;
    result.error = "memory limit of " + std::to_string(request.memoryMb) + " MB exceeded";
  }
  if (result.stdoutTruncated || result.stderrTruncated) {
    std::string note = "output beyond " + std::to_string(options_.outputCapBytes >> 10) +
                       " KB per stream was discarded";
    if (result.error.empty()) result.error = note;
  }
  return result;
}

}  // namespace

std::map<std::string, std::vector<std::string>> defaultRuntimes() {
  // Debian's interpreters by absolute path: what the rootfs exposes is /usr, so nothing
  // outside it (a pyenv shim, say) could run inside anyway.
  return {{"python3.11", {"/usr/bin/python3"}}, {"nodejs20", {"/usr/bin/node"}}};
}

Result<ExecutorPtr> makeSandboxExecutor(SandboxOptions options) {
  if (options.runtimes.empty()) options.runtimes = defaultRuntimes();
  if (::geteuid() != 0)
    return fail(ErrorKind::unavailable, "sandbox_unavailable",
                "the sandbox needs root (user namespaces with id maps, cgroups, mounts)");
  auto version = detectCgroupVersion();
  if (!version) return propagate(version.error(), "sandbox");
  for (auto& [runtime, argv] : options.runtimes)
    if (argv.empty() || ::access(argv[0].c_str(), X_OK) != 0 || !argv[0].starts_with("/usr/"))
      log::warn("sandbox runtime unavailable",
                {{"runtime", runtime}, {"interpreter", argv.empty() ? "" : argv[0]}});
  auto seccomp = buildSeccompProgram();
  if (!seccomp) return propagate(seccomp.error(), "sandbox");
  std::error_code ec;
  fs::create_directories(options.stateDir, ec);
  if (ec) return sysError("create " + options.stateDir.string(), ec.value());
  // Search-only for others: the child, already switched to its run's uid, must reach its
  // own mount point, but nobody may list the runs.
  fs::permissions(options.stateDir, fs::perms(0711), ec);
  Cgroup::removeStale(*version, options.cgroupName);
  for (auto& entry : fs::directory_iterator(options.stateDir, ec)) ::rmdir(entry.path().c_str());
  log::info("sandbox executor ready",
            {{"cgroup", *version == CgroupVersion::v1 ? "v1" : "v2"}});
  return std::make_unique<SandboxExecutor>(std::move(options), *version, std::move(*seccomp));
}

}  // namespace stratus::exec::sandbox
