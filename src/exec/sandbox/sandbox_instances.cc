#include "exec/sandbox/sandbox_instances.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "common/crypto.h"
#include "common/log.h"
#include "exec/instance_env.h"
#include "exec/runtime_files.h"
#include "exec/runtime_instance.h"
#include "exec/sandbox/launch.h"

namespace stratus::exec::sandbox {
namespace {
namespace asio = boost::asio;
namespace fs = std::filesystem;

// A ready sandbox's limit until it is taken: the smallest a function may ask for, so
// taking one only ever raises it.
constexpr int64_t kReadyMemoryBytes = 128ll << 20;
// A ready sandbox's interpreter starts while calls are running (the refill follows each
// take at once): it gets CPU only when they leave some, so a cold start's own first call
// does not wait behind the next one's preparation. Raised to the default when taken.
constexpr int kReadyCpuWeight = 1;
// An idle runtime is its init and its bootstrap; anything more after an invocation was
// left behind by it.
constexpr std::size_t kIdleProcesses = 2;

bool builtIn(const std::string& runtime) { return isBuiltInRuntime(runtime); }

Status writeAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return sysError("write the instance's spec", errno);
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

// What a sandbox instance needs of its sandbox beyond the Runtime API: killing it,
// seeing what it left behind, and (by being destroyed) tearing it down.
class SandboxHost final : public InstanceHost {
 public:
  SandboxHost(Sandbox sandbox, bool checkStrays)
      : sandbox_(std::move(sandbox)),
        leftovers_(sandbox_.cgroup.probe(), sandbox_.cgroup.memoryDir(), kIdleProcesses),
        checkStrays_(checkStrays) {}

  void killAll() override {
    sandbox_.init.kill();
    sandbox_.cgroup.killAll();
  }

  bool idle() override { return !checkStrays_ || leftovers_.idle(); }

  int64_t memoryBytes() override { return sandbox_.cgroup.memoryCurrentBytes(); }

 private:
  Sandbox sandbox_;
  LeftoverCheck leftovers_;
  bool checkStrays_;
};

InstancePtr makeSandboxInstance(asio::io_context& io, Sandbox sandbox, bool checkStrays) {
  RuntimeChannels channels;
  channels.listener = std::move(sandbox.listener);
  channels.stdoutRead = std::move(sandbox.stdoutRead);
  channels.stderrRead = std::move(sandbox.stderrRead);
  channels.exitWatch.reset(::fcntl(sandbox.init.pidfd(), F_DUPFD_CLOEXEC, 0));
  channels.exitStatus = std::move(sandbox.statusRead);
  channels.cgroup = sandbox.cgroup.probe();
  return makeRuntimeInstance(io, std::move(channels),
                             std::make_unique<SandboxHost>(std::move(sandbox), checkStrays));
}

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
                         int64_t memoryBytes, int cpuWeight = 100) {
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
    launch.cpuWeight = cpuWeight;
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
    if (auto ok = sandbox.cgroup.setCpuWeight(100); !ok)
      return propagate(ok.error(), "set the instance's CPU weight");
    std::string message = builtIn(spec.runtime) ? bootstrapSpecJson(spec) : std::string("go\n");
    Status sent = writeAll(sandbox.specWrite.get(), message);
    sandbox.specWrite.reset();  // end of file: a built-in bootstrap reads to it
    if (!sent) return std::unexpected(sent.error());
    return makeSandboxInstance(io_, std::move(sandbox), builtIn(spec.runtime));
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
      auto made = launch(missing, InstanceSpec{}, kReadyMemoryBytes, kReadyCpuWeight);
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
