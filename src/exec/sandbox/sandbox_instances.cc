#include "exec/sandbox/sandbox_instances.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

#include "common/crypto.h"
#include "common/log.h"
#include "exec/instance_env.h"
#include "exec/runtime_files.h"
#include "exec/sandbox/launch.h"
#include "runtime/namespace_listener.h"
#include "runtime/runtime_server.h"

namespace stratus::exec::sandbox {
namespace {
namespace asio = boost::asio;
namespace fs = std::filesystem;

constexpr std::size_t kLogCapBytes = 1 << 20;  // per invocation; the rest is dropped
// A ready sandbox's limit until it is taken: the smallest a function may ask for, so
// taking one only ever raises it.
constexpr int64_t kReadyMemoryBytes = 128ll << 20;
// An idle runtime is its init and its bootstrap; anything more after an invocation was
// left behind by it.
constexpr std::size_t kIdleProcesses = 2;

bool builtIn(const std::string& runtime) { return runtime == "python3.11" || runtime == "nodejs20"; }

std::vector<std::string> bootstrapArgv(const std::string& runtime) {
  if (runtime == "python3.11") return {"/usr/bin/python3", "/opt/stratus/python/bootstrap.py"};
  if (runtime == "nodejs20") return {"/usr/bin/node", "/opt/stratus/node/bootstrap.mjs"};
  return {"/var/task/bootstrap"};  // provided: the function brings its own
}

std::vector<std::string> baseEnvironment() {
  return {"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "TMPDIR=/tmp", "LANG=C.UTF-8",
          "TZ=:UTC", "PYTHONDONTWRITEBYTECODE=1", "PYTHONUNBUFFERED=1",
          "AWS_LAMBDA_RUNTIME_API=127.0.0.1:" + std::to_string(runtime::kRuntimeApiPort),
          "LAMBDA_TASK_ROOT=/var/task", "LAMBDA_RUNTIME_DIR=/opt/stratus"};
}

Status writeAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return sysError("write the instance's spec", errno);
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

std::string describeExit(int status) {
  if (WIFEXITED(status)) return "the runtime exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "the runtime was killed by signal " + std::to_string(WTERMSIG(status));
  return "the runtime stopped";
}

// What the event loop's handlers share with the instance. The sandbox itself stays with
// the instance, so it is always torn down on the instance owner's thread, never the loop's.
struct LoopState {
  explicit LoopState(asio::io_context& io) : out(io), err(io), exitWatch(io) {}
  std::shared_ptr<runtime::InvocationChannel> channelOwner =
      std::make_shared<runtime::InvocationChannel>();
  runtime::InvocationChannel& channel = *channelOwner;
  std::unique_ptr<runtime::RuntimeApiServer> server;
  asio::posix::stream_descriptor out, err, exitWatch;
  UniqueFd status;  // the program's wait status, written by the sandbox's init
  CgroupProbe cgroup;
  // The cgroup's OOM-kill count after the last invocation: the next one's "before".
  std::atomic<int64_t> oomKills{0};
  std::atomic<bool> exited{false};
  std::mutex logMutex;
  std::string logs;
  bool logsTruncated = false;

  // Reads what a stream has now, up to `budget` bytes: a function writing without pause
  // must not hold the event loop every instance shares. True while the stream is open.
  bool readAvailable(asio::posix::stream_descriptor& stream, std::size_t budget = 65536) {
    char buffer[16384];
    for (std::size_t taken = 0; taken < budget;) {
      int fd = stream.native_handle();
      if (fd < 0) return false;
      ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n > 0) {
        taken += static_cast<std::size_t>(n);
        std::lock_guard lock(logMutex);
        std::size_t room = logs.size() < kLogCapBytes ? kLogCapBytes - logs.size() : 0;
        std::size_t keep = std::min(room, static_cast<std::size_t>(n));
        logs.append(buffer, keep);
        if (keep < static_cast<std::size_t>(n)) logsTruncated = true;
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      return n < 0 && errno == EAGAIN;
    }
    return true;  // more may be waiting: the next wait finds it ready at once
  }
};

void readLogs(std::weak_ptr<LoopState> weak, asio::posix::stream_descriptor* stream) {
  stream->async_wait(asio::posix::stream_descriptor::wait_read,
                     [weak, stream](boost::system::error_code ec) {
                       auto state = weak.lock();
                       if (!state || ec) return;
                       if (state->readAvailable(*stream)) readLogs(weak, stream);
                     });
}

void watchExit(std::weak_ptr<LoopState> weak) {
  auto state = weak.lock();
  if (!state) return;
  state->exitWatch.async_wait(
      asio::posix::stream_descriptor::wait_read, [weak](boost::system::error_code ec) {
        auto state = weak.lock();
        if (!state || ec) return;
        state->exited = true;
        int status = 0;
        std::string why = "the runtime stopped";
        if (::read(state->status.get(), &status, sizeof status) == sizeof status)
          why = describeExit(status);
        state->channel.abandon(Error{ErrorKind::unavailable, "runtime_exited", why, {}});
      });
}

class SandboxInstance final : public Instance {
 public:
  SandboxInstance(asio::io_context& io, Sandbox sandbox, bool checkStrays)
      : io_(io), sandbox_(std::move(sandbox)), state_(std::make_shared<LoopState>(io)),
        checkStrays_(checkStrays) {
    state_->cgroup = sandbox_.cgroup.probe();
    state_->oomKills = state_->cgroup.oomKills();
    for (UniqueFd* fd : {&sandbox_.stdoutRead, &sandbox_.stderrRead})
      ::fcntl(fd->get(), F_SETFL, O_NONBLOCK);
    state_->out.assign(sandbox_.stdoutRead.release());
    state_->err.assign(sandbox_.stderrRead.release());
    state_->exitWatch.assign(::fcntl(sandbox_.init.pidfd(), F_DUPFD_CLOEXEC, 0));
    state_->status = std::move(sandbox_.statusRead);
    state_->server = std::make_unique<runtime::RuntimeApiServer>(io, std::move(sandbox_.listener),
                                                                 state_->channelOwner);
    state_->server->start();
    std::weak_ptr<LoopState> weak = state_;
    asio::post(io_, [weak] {
      auto state = weak.lock();
      if (!state) return;
      readLogs(weak, &state->out);
      readLogs(weak, &state->err);
      watchExit(weak);
    });
  }

  ~SandboxInstance() override {
    state_->channel.abandon(Error{ErrorKind::unavailable, "instance_stopped",
                                  "the instance was stopped", {}});
    state_->server->close();
    sandbox_.init.kill();
    // The descriptors belong to the loop: close them there (or here, if this is the loop).
    auto close = [state = state_] {
      boost::system::error_code ec;
      state->out.close(ec);
      state->err.close(ec);
      state->exitWatch.close(ec);
    };
    if (io_.stopped() || io_.get_executor().running_in_this_thread()) {
      close();
    } else {
      std::promise<void> closed;
      asio::post(io_, [&] {
        close();
        closed.set_value();
      });
      closed.get_future().wait();
    }
  }

  Status invoke(runtime::Event event, Done done) override {
    if (state_->exited) return fail(ErrorKind::unavailable, "instance_exited", "the runtime has exited");
    state_->cgroup.resetPeak();
    int64_t oomBefore = state_->oomKills;
    // Whatever was written between invocations is nobody's log.
    state_->readAvailable(state_->out);
    state_->readAvailable(state_->err);
    {
      std::lock_guard lock(state_->logMutex);
      state_->logs.clear();
      state_->logsTruncated = false;
    }
    std::weak_ptr<LoopState> weak = state_;
    return state_->channel.submit(
        std::move(event), [weak, done = std::move(done), oomBefore](runtime::Outcome outcome) {
          InvocationResult result;
          if (auto state = weak.lock()) {
            // The bootstrap flushes before it answers: what it wrote is in the pipes now.
            state->readAvailable(state->out);
            state->readAvailable(state->err);
            {
              std::lock_guard lock(state->logMutex);
              result.logs = std::exchange(state->logs, {});
              result.logsTruncated = std::exchange(state->logsTruncated, false);
            }
            CgroupUsage usage = state->cgroup.usage();
            result.memoryPeakBytes = usage.memoryPeakBytes;
            result.oomKilled = usage.oomKills > oomBefore;
            state->oomKills = usage.oomKills;
          }
          result.outcome = std::move(outcome);
          done(std::move(result));
        });
  }

  void kill(Error reason) override {
    state_->channel.abandon(std::move(reason));
    sandbox_.init.kill();
    sandbox_.cgroup.killAll();
  }

  bool reusable() override {
    if (state_->exited || state_->channel.broken()) return false;
    pollfd exited{sandbox_.init.pidfd(), POLLIN, 0};
    if (::poll(&exited, 1, 0) == 1) return false;
    if (!checkStrays_) return true;
    // Counting processes means reading cgroup.procs afresh (open, read, close); the task
    // count is one read. The same task count as the last time the processes were counted
    // and found idle says nothing new started (a thread ending as a process starts would
    // hide it: this is hygiene within one function's instance, not a security boundary).
    auto tasks = state_->cgroup.tasks();
    if (tasks && *tasks == idleTasks_) return true;
    if (sandbox_.cgroup.processCount() > kIdleProcesses) return false;
    idleTasks_ = tasks.value_or(-1);
    return true;
  }

  int64_t memoryBytes() override { return sandbox_.cgroup.memoryCurrentBytes(); }

  std::optional<std::chrono::steady_clock::time_point> runningSince() override {
    return state_->channel.inFlightSince();
  }

 private:
  asio::io_context& io_;
  Sandbox sandbox_;
  std::shared_ptr<LoopState> state_;
  bool checkStrays_;
  int64_t idleTasks_ = -1;  // the task count when the processes were last found idle
};

class SandboxInstanceFactory final : public InstanceFactory {
 public:
  SandboxInstanceFactory(InstanceOptions options, CgroupVersion version, SeccompProgram seccomp)
      : options_(std::move(options)), seccomp_(std::move(seccomp)), work_(io_.get_executor()) {
    context_.cgroupVersion = version;
    context_.cgroupName = options_.sandbox.cgroupName;
    context_.stateDir = options_.sandbox.stateDir;
    context_.runtimeDir = options_.runtimeDir;
    context_.seccomp = &seccomp_;
    context_.tmpfsSizeMb = options_.sandbox.tmpfsSizeMb;
    context_.pidsMax = options_.sandbox.pidsMax;
    context_.cpuPercent = options_.sandbox.cpuPercent;
    ioThread_ = std::thread([this] { io_.run(); });
    if (options_.readyPerRuntime > 0) refillThread_ = std::thread([this] { refillLoop(); });
  }

  ~SandboxInstanceFactory() override { shutdown(); }

  std::string name() const override { return "sandbox"; }

  Result<InstancePtr> start(const InstanceSpec& spec, bool* warmStart) override {
    if (warmStart) *warmStart = false;
    if (!builtIn(spec.runtime) && spec.runtime != "provided")
      return invalid("invalid_runtime", "the sandbox has no runtime " + spec.runtime);
    if (builtIn(spec.runtime)) {
      if (auto ready = takeReady(spec.runtime)) {
        auto instance = specialise(std::move(*ready), spec);
        if (instance && warmStart) *warmStart = true;
        if (instance) return instance;
        log::warn("ready sandbox unusable, starting a new one",
                  {{"error", instance.error().describe()}});
      }
    }
    auto sandbox = launch(spec.runtime, spec, static_cast<int64_t>(spec.memoryMb) << 20);
    if (!sandbox) return std::unexpected(sandbox.error());
    return specialise(std::move(*sandbox), spec);
  }

  void shutdown() override {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      stopping_ = true;
    }
    refillWanted_.notify_all();
    if (refillThread_.joinable()) refillThread_.join();
    {
      std::lock_guard lock(mutex_);
      ready_.clear();
    }
    work_.reset();
    io_.stop();
    if (ioThread_.joinable()) ioThread_.join();
  }

 private:
  // A sandbox for `runtime`, its code not yet mounted: the program waits on descriptor 3
  // until it is. Built-in bootstraps read their function's variables from it; a custom
  // one is started by a shell that waits for a line, so it gets plain variables (`spec`'s,
  // known by then), as on Lambda.
  Result<Sandbox> launch(const std::string& runtime, const InstanceSpec& spec,
                         int64_t memoryBytes) {
    LaunchSpec launch;
    launch.id = newId();
    launch.hostId = options_.sandbox.uidBase +
                    static_cast<uid_t>(counter_.fetch_add(1) % options_.sandbox.uidCount);
    launch.env = baseEnvironment();
    if (builtIn(runtime)) {
      launch.argv = bootstrapArgv(runtime);
      launch.env.push_back("STRATUS_SPEC_FD=3");
    } else {
      launch.argv = {"/bin/sh", "-c", "read -r go <&3 && exec /var/task/bootstrap 3<&-"};
      for (auto& [key, value] : functionEnvironment(spec)) launch.env.push_back(key + "=" + value);
    }
    launch.specPipe = true;
    launch.memoryBytes = memoryBytes;
    launch.runtimeApi = true;
    return launchSandbox(context_, launch);
  }

  // Makes `sandbox` the instance of `spec`: its code mounted from the host's side (so the
  // data folder's permissions never matter to the sandbox's user), its memory limit, and
  // the go-ahead down descriptor 3.
  Result<InstancePtr> specialise(Sandbox sandbox, const InstanceSpec& spec) {
    if (auto ok = mountCode(sandbox, spec.codeDir); !ok) return std::unexpected(ok.error());
    if (auto ok = sandbox.cgroup.setMemoryLimit(static_cast<int64_t>(spec.memoryMb) << 20); !ok)
      return propagate(ok.error(), "set the instance's memory limit");
    std::string message = builtIn(spec.runtime) ? bootstrapSpecJson(spec) : std::string("go\n");
    Status sent = writeAll(sandbox.specWrite.get(), message);
    sandbox.specWrite.reset();  // end of file: a built-in bootstrap reads to it
    if (!sent) return std::unexpected(sent.error());
    return InstancePtr(new SandboxInstance(io_, std::move(sandbox), builtIn(spec.runtime)));
  }

  std::optional<Sandbox> takeReady(const std::string& runtime) {
    std::optional<Sandbox> taken;
    {
      std::lock_guard lock(mutex_);
      auto& queue = ready_[runtime];
      while (!queue.empty() && !taken) {
        Sandbox candidate = std::move(queue.front());
        queue.pop_front();
        pollfd exited{candidate.init.pidfd(), POLLIN, 0};
        if (::poll(&exited, 1, 0) == 0) taken.emplace(std::move(candidate));
      }
    }
    refillWanted_.notify_one();
    return taken;
  }

  void refillLoop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      std::string missing;
      for (const char* runtime : {"python3.11", "nodejs20"})
        if (static_cast<int>(ready_[runtime].size()) < options_.readyPerRuntime) missing = runtime;
      if (missing.empty()) {
        refillWanted_.wait(lock);
        continue;
      }
      lock.unlock();
      auto made = launch(missing, InstanceSpec{}, kReadyMemoryBytes);
      lock.lock();
      if (!made) {
        log::warn("could not make a ready sandbox", {{"runtime", missing},
                                                     {"error", made.error().describe()}});
        refillWanted_.wait_for(lock, std::chrono::seconds(5));
        continue;
      }
      if (!stopping_) ready_[missing].push_back(std::move(*made));
    }
  }

  InstanceOptions options_;
  SeccompProgram seccomp_;
  LaunchContext context_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread ioThread_;
  std::atomic<uint64_t> counter_{0};
  std::mutex mutex_;
  std::condition_variable refillWanted_;
  std::map<std::string, std::deque<Sandbox>> ready_;
  bool stopping_ = false;
  std::thread refillThread_;
};

}  // namespace

Result<std::unique_ptr<InstanceFactory>> makeSandboxInstances(InstanceOptions options) {
  if (::geteuid() != 0)
    return fail(ErrorKind::unavailable, "sandbox_unavailable",
                "the sandbox needs root (user namespaces with id maps, cgroups, mounts)");
  auto version = detectCgroupVersion();
  if (!version) return propagate(version.error(), "sandbox");
  auto seccomp = buildSeccompProgram();
  if (!seccomp) return propagate(seccomp.error(), "sandbox");
  std::error_code ec;
  fs::create_directories(options.sandbox.stateDir, ec);
  if (ec) return sysError("create " + options.sandbox.stateDir.string(), ec.value());
  // Search-only for others: the child, already switched to its own uid, must reach its
  // mount point, but nobody may list the sandboxes.
  fs::permissions(options.sandbox.stateDir, fs::perms(0711), ec);
  fs::permissions(options.sandbox.stateDir.parent_path(), fs::perms(0711), ec);
  // What a crashed earlier server left: its cgroups (and the processes in them) and mount
  // points.
  Cgroup::removeStale(*version, options.sandbox.cgroupName);
  for (auto& entry : fs::directory_iterator(options.sandbox.stateDir, ec)) ::rmdir(entry.path().c_str());
  if (auto written = writeRuntimeFiles(options.runtimeDir); !written)
    return propagate(written.error(), "install the runtime bootstraps");
  fs::permissions(options.runtimeDir, fs::perms(0755), ec);
  return std::unique_ptr<InstanceFactory>(
      new SandboxInstanceFactory(std::move(options), *version, std::move(*seccomp)));
}

}  // namespace stratus::exec::sandbox
