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
#include "exec/sandbox/contain.h"
#include "exec/sandbox/seccomp.h"

namespace stratus::exec::sandbox {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr uid_t kInsideId = 1000;
constexpr std::size_t kCloneStackBytes = 256 * 1024;

struct Pipe {
  UniqueFd read, write;
};

Result<Pipe> makePipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return sysError("pipe2", errno);
  return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

Status writeText(const fs::path& path, const std::string& text) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd.valid() || ::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()))
    return sysError("write " + path.string(), errno);
  return {};
}

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

// The cloned init process: killed and reaped on destruction whatever happened before.
class InitProcess {
 public:
  explicit InitProcess(pid_t pid) : pid_(pid), pidfd_(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0))) {}
  InitProcess(const InitProcess&) = delete;
  InitProcess& operator=(const InitProcess&) = delete;
  ~InitProcess() {
    if (!reaped_) {
      ::kill(pid_, SIGKILL);
      reap();
    }
  }
  pid_t pid() const { return pid_; }
  int pidfd() const { return pidfd_.get(); }
  int reap() {
    int status = 0;
    while (::waitpid(pid_, &status, __WALL) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    return status;
  }

 private:
  pid_t pid_;
  UniqueFd pidfd_;
  bool reaped_ = false;
};

class SandboxExecutor final : public Executor {
 public:
  SandboxExecutor(SandboxOptions options, CgroupVersion version, SeccompProgram seccomp)
      : options_(std::move(options)), cgroupVersion_(version), seccomp_(std::move(seccomp)) {}

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
  CgroupVersion cgroupVersion_;
  SeccompProgram seccomp_;
  std::atomic<uint64_t> counter_{0};
  std::mutex mutex_;
  std::set<pid_t> running_;
  bool stopping_ = false;
};

Result<ScriptResult> SandboxExecutor::runScript(const ScriptRequest& request) {
  auto runtime = options_.runtimes.find(request.runtime);
  if (runtime == options_.runtimes.end())
    return invalid("invalid_runtime", "the sandbox has no runtime " + request.runtime);
  std::string id = request.invocationId.empty() ? newId() : request.invocationId;

  // Everything the child will read, prepared here (see contain.h).
  fs::path rootDir = options_.stateDir / id;
  std::error_code ec;
  fs::create_directories(rootDir, ec);
  if (ec) return sysError("create " + rootDir.string(), ec.value());
  struct RemoveDir {
    fs::path path;
    ~RemoveDir() { ::rmdir(path.c_str()); }
  } removeRoot{rootDir};

  RootfsSpec rootfsSpec;
  rootfsSpec.root = rootDir;
  rootfsSpec.codeDir = request.codeDir;
  rootfsSpec.tmpSizeMb = options_.tmpfsSizeMb;
  rootfsSpec.uid = kInsideId;
  rootfsSpec.gid = kInsideId;
  std::vector<FsOp> rootfs = buildRootfsPlan(rootfsSpec);

  std::vector<std::string> args = runtime->second;
  args.push_back("/var/task/" + request.entry);
  args.insert(args.end(), request.args.begin(), request.args.end());
  std::vector<std::string> env{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "TMPDIR=/tmp",
                               "LANG=C.UTF-8", "PYTHONDONTWRITEBYTECODE=1",
                               "PYTHONUNBUFFERED=1", "STRATUS_INVOCATION_ID=" + id};
  for (const auto& [key, value] : request.env) env.push_back(key + "=" + value);
  std::vector<const char*> argv, envp;
  for (auto& a : args) argv.push_back(a.c_str());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.c_str());
  envp.push_back(nullptr);

  auto sync = makePipe(), errors = makePipe(), status = makePipe(), out = makePipe(),
       err = makePipe();
  for (auto* p : {&sync, &errors, &status, &out, &err})
    if (!*p) return std::unexpected(p->error());

  ChildPlan plan;
  plan.rootfs = &rootfs;
  plan.argv = argv.data();
  plan.envp = envp.data();
  plan.uid = kInsideId;
  plan.gid = kInsideId;
  plan.seccomp = seccomp_.program();
  rlim_t tmpBytes = static_cast<rlim_t>(options_.tmpfsSizeMb) << 20;
  plan.rlimits = {{RLIMIT_NOFILE, 1024},
                  {RLIMIT_CORE, 0},
                  {RLIMIT_FSIZE, tmpBytes},
                  {RLIMIT_NPROC, static_cast<rlim_t>(options_.pidsMax)},
                  // A backstop only: the wall-clock timeout below is what ends runs.
                  {RLIMIT_CPU, static_cast<rlim_t>(request.timeoutS) + 2}};
  plan.syncFd = sync->read.get();
  plan.errorFd = errors->write.get();
  plan.statusFd = status->write.get();
  plan.stdoutFd = out->write.get();
  plan.stderrFd = err->write.get();

  CgroupLimits limits;
  limits.memoryBytes = static_cast<int64_t>(request.memoryMb) << 20;
  limits.pidsMax = options_.pidsMax;
  limits.cpuPercent = options_.cpuPercent;
  auto cgroup = Cgroup::create(cgroupVersion_, options_.cgroupName, id, limits);
  if (!cgroup) return propagate(cgroup.error(), "sandbox cgroup");

  void* stack = ::mmap(nullptr, kCloneStackBytes, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) return sysError("mmap clone stack", errno);
  auto started = Clock::now();
  pid_t pid = ::clone(childMain, static_cast<char*>(stack) + kCloneStackBytes,
                      namespaceCloneFlags() | SIGCHLD, &plan);
  int cloneErrno = errno;
  ::munmap(stack, kCloneStackBytes);  // the child has its own copy of the address space
  if (pid < 0) return sysError("clone into new namespaces", cloneErrno);
  InitProcess init(pid);
  if (!track(pid)) return fail(ErrorKind::unavailable, "shutting_down", "the server is stopping");
  struct Untrack {
    SandboxExecutor* self;
    pid_t pid;
    ~Untrack() { self->untrack(pid); }
  } untrack{this, pid};

  // The parent's half of the checklist: cgroup, then the id maps (one host uid per run, so
  // no two runs can signal or trace each other), then release the child.
  uid_t hostId = nextHostId();
  std::string proc = "/proc/" + std::to_string(pid);
  std::string map = std::to_string(kInsideId) + " " + std::to_string(hostId) + " 1\n";
  Status prepared = cgroup->addProcess(pid);
  if (prepared) prepared = writeText(proc + "/uid_map", map);
  if (prepared) prepared = writeText(proc + "/gid_map", map);
  if (!prepared) return propagate(prepared.error(), "prepare sandbox child");
  sync->read.reset();
  errors->write.reset();
  status->write.reset();
  out->write.reset();
  err->write.reset();
  if (::write(sync->write.get(), "1", 1) != 1) return sysError("release sandbox child", errno);
  sync->write.reset();

  Capture stdoutCapture{std::move(out->read)}, stderrCapture{std::move(err->read)};
  for (auto* c : {&stdoutCapture, &stderrCapture}) ::fcntl(c->fd.get(), F_SETFL, O_NONBLOCK);
  auto deadline = started + std::chrono::seconds(request.timeoutS);
  bool timedOut = false, exited = false;
  while (!exited) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      timedOut = true;
      ::kill(pid, SIGKILL);  // pid 1 of the namespace: everything in it dies too
      cgroup->killAll();
      break;
    }
    pollfd fds[3] = {{init.pidfd(), POLLIN, 0},
                     {stdoutCapture.open ? stdoutCapture.fd.get() : -1, POLLIN, 0},
                     {stderrCapture.open ? stderrCapture.fd.get() : -1, POLLIN, 0}};
    int ready = ::poll(fds, 3, static_cast<int>(std::min<long>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) return sysError("poll sandbox", errno);
    if (fds[1].revents) stdoutCapture.drain(options_.outputCapBytes);
    if (fds[2].revents) stderrCapture.drain(options_.outputCapBytes);
    if (fds[0].revents) exited = true;
  }
  init.reap();
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
  CgroupUsage usage = cgroup->usage();
  result.memoryPeakBytes = usage.memoryPeakBytes;
  cgroup->killAll();
  cgroup->remove();

  ChildFailure failure;
  if (::read(errors->read.get(), &failure, sizeof failure) == sizeof failure) {
    return fail(ErrorKind::internal, "sandbox_setup_failed",
                "sandbox setup failed: " + describeStep(failure.step, rootfs) + ": " +
                    std::strerror(failure.error));
  }
  int programStatus = 0;
  bool haveStatus = ::read(status->read.get(), &programStatus, sizeof programStatus) ==
                    sizeof programStatus;
  if (timedOut) {
    result.timedOut = true;
    result.signal = SIGKILL;
    result.exitCode = 128 + SIGKILL;
    result.error = "timed out after " + std::to_string(request.timeoutS) + " s";
  } else if (haveStatus && WIFEXITED(programStatus)) {
    result.exitCode = WEXITSTATUS(programStatus);
  } else if (haveStatus && WIFSIGNALED(programStatus)) {
    result.signal = WTERMSIG(programStatus);
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
