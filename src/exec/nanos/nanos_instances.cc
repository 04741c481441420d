#include "exec/nanos/nanos_instances.h"

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "common/crypto.h"
#include "common/log.h"
#include "exec/nanos/guest_image.h"
#include "exec/runtime_files.h"
#include "exec/runtime_instance.h"
#include "nanos/image_cache.h"
#include "nanos/qemu.h"

namespace stratus::exec::nanos {
namespace {
namespace asio = boost::asio;
namespace fs = std::filesystem;
using ::stratus::nanos::decodeVmExit;
using ::stratus::nanos::describeVmExit;
using ::stratus::nanos::ImageCache;
using ::stratus::nanos::NanosInstall;

// qemu's user: nobody, as the sandbox's and containers' functions.
constexpr uid_t kVmUser = 65534;
constexpr gid_t kVmGroup = 65534;

// A qemu process: killed and reaped once, from whichever thread gets there first (the
// event loop noticing its exit, or the instance's teardown).
class VmProcess {
 public:
  VmProcess(pid_t pid, UniqueFd pidfd) : pid_(pid), pidfd_(std::move(pidfd)) {}
  ~VmProcess() {
    kill();
    reap(true);
  }

  void kill() {
    if (pidfd_.valid()) ::syscall(SYS_pidfd_send_signal, pidfd_.get(), SIGKILL, nullptr, 0);
  }

  // Its wait status, once it has ended; waits for that when `block`.
  std::optional<int> reap(bool block) {
    std::lock_guard lock(mutex_);
    if (status_) return status_;
    siginfo_t info{};
    int flags = WEXITED | (block ? 0 : WNOHANG);
    if (::waitid(P_PID, static_cast<id_t>(pid_), &info, flags) != 0 || info.si_pid == 0)
      return std::nullopt;
    status_ = info.si_code == CLD_EXITED ? W_EXITCODE(info.si_status, 0) : info.si_status;
    return status_;
  }

  int pidfd() const { return pidfd_.get(); }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_;
  UniqueFd pidfd_;
  std::mutex mutex_;
  std::optional<int> status_;
};

// What an instance needs of its VM beyond the Runtime API. Destroying it kills qemu, reaps
// it and removes the instance's folder.
class VmHost final : public InstanceHost {
 public:
  VmHost(std::shared_ptr<VmProcess> vm, fs::path dir) : vm_(std::move(vm)), dir_(std::move(dir)) {}
  ~VmHost() override {
    vm_->kill();
    vm_->reap(true);
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  void killAll() override { vm_->kill(); }
  // A unikernel runs one process; nothing can be left behind outside it.
  bool idle() override { return true; }
  int64_t memoryBytes() override {
    // qemu's resident memory: the guest's touched pages and qemu's own.
    std::ifstream statm("/proc/" + std::to_string(vm_->pid()) + "/statm");
    int64_t size = 0, resident = 0;
    if (!(statm >> size >> resident)) return 0;
    return resident * ::sysconf(_SC_PAGESIZE);
  }

 private:
  std::shared_ptr<VmProcess> vm_;
  fs::path dir_;
};

// The instance's folder: owned by the VM's user, closed to everyone else, holding the
// Runtime API socket.
Result<fs::path> makeInstanceDir(const fs::path& parent) {
  fs::path dir = parent / newId();
  if (::mkdir(dir.c_str(), 0700) != 0) return sysError("create " + dir.string(), errno);
  if (::chown(dir.c_str(), kVmUser, kVmGroup) != 0) return sysError("chown " + dir.string(), errno);
  return dir;
}

Result<UniqueFd> listenOnUnixSocket(const fs::path& path) {
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return sysError("socket", errno);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.string().size() >= sizeof address.sun_path)
    return invalid("path_too_long", "the socket path " + path.string() + " is too long");
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
    return sysError("bind " + path.string(), errno);
  if (::chown(path.c_str(), kVmUser, kVmGroup) != 0 || ::chmod(path.c_str(), 0600) != 0)
    return sysError("set the owner of " + path.string(), errno);
  if (::listen(fd.get(), 4) != 0) return sysError("listen", errno);
  return fd;
}

struct Spawned {
  std::shared_ptr<VmProcess> vm;
  UniqueFd out, err;
};

// The image reaches qemu as descriptor 3, opened here: the cache's folder may be closed
// to the VM's user, and an image evicted meanwhile stays readable.
constexpr const char* kImageFdPath = "/proc/self/fd/3";

// Starts qemu as the VM's user in `dir`, with the console on a pipe.
Result<Spawned> spawnQemu(const std::vector<std::string>& argv, const fs::path& dir, int imageFd) {
  int outPipe[2], errPipe[2];
  if (::pipe2(outPipe, O_CLOEXEC) != 0) return sysError("pipe", errno);
  UniqueFd outRead(outPipe[0]), outWrite(outPipe[1]);
  if (::pipe2(errPipe, O_CLOEXEC) != 0) return sysError("pipe", errno);
  UniqueFd errRead(errPipe[0]), errWrite(errPipe[1]);
  UniqueFd devNull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (!devNull.valid()) return sysError("open /dev/null", errno);

  // Everything the child touches is made before fork(): after it, only system calls.
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  // No TMPDIR: qemu's -snapshot overlay goes to /var/tmp, on disk (this folder is in /run,
  // in memory), and is unlinked as soon as it is made.
  std::vector<char*> envp{const_cast<char*>("PATH=/usr/bin:/bin"), nullptr};
  pid_t parent = ::getpid();

  pid_t pid = ::fork();
  if (pid < 0) return sysError("fork", errno);
  if (pid == 0) {
    if (::dup2(devNull.get(), 0) < 0 || ::dup2(outWrite.get(), 1) < 0 ||
        ::dup2(errWrite.get(), 2) < 0)
      ::_exit(126);
    // dup2 onto itself would leave close-on-exec set.
    if ((imageFd == 3 ? ::fcntl(3, F_SETFD, 0) : ::dup2(imageFd, 3)) < 0) ::_exit(126);
    if (::chdir(dir.c_str()) != 0 || ::setgroups(0, nullptr) != 0 || ::setgid(kVmGroup) != 0 ||
        ::setuid(kVmUser) != 0)
      ::_exit(126);
    // After the uid change, which would clear it: qemu dies with the server.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (::getppid() != parent) ::_exit(126);
    ::execve(args[0], args.data(), envp.data());
    ::_exit(127);
  }
  UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  if (!pidfd.valid()) {
    int err = errno;
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return sysError("watch qemu", err);
  }
  return Spawned{std::make_shared<VmProcess>(pid, std::move(pidfd)), std::move(outRead), std::move(errRead)};
}

class NanosInstanceFactory final : public InstanceFactory {
 public:
  explicit NanosInstanceFactory(NanosInstanceOptions options)
      : options_(std::move(options)),
        images_(options_.install, options_.imageDir, options_.maxImages),
        work_(io_.get_executor()) {
    ioThread_ = std::thread([this] { io_.run(); });
  }

  ~NanosInstanceFactory() override { shutdown(); }

  std::string name() const override { return "nanos"; }

  Result<InstancePtr> start(const InstanceSpec& spec, bool* warmStart) override {
    if (warmStart) *warmStart = false;
    if (stopped_) return fail(ErrorKind::unavailable, "executor_stopped", "the nanos executor has stopped");
    auto runtime = runtimeTree(spec.runtime);
    if (!runtime) return std::unexpected(runtime.error());
    auto manifest = instanceManifest(spec, **runtime, options_.runtimeDir);
    if (!manifest) return propagate(manifest.error(), "nanos instance");
    auto image = images_.imageFor(*manifest);
    if (!image) return propagate(image.error(), "nanos instance");

    auto dir = makeInstanceDir(options_.stateDir);
    if (!dir) return std::unexpected(dir.error());
    struct Remover {
      fs::path dir;
      ~Remover() {
        std::error_code ec;
        if (!dir.empty()) fs::remove_all(dir, ec);
      }
    } remover{*dir};
    auto listener = listenOnUnixSocket(*dir / "runtime.sock");
    if (!listener) return propagate(listener.error(), "nanos instance");

    ::stratus::nanos::VmConfig config;
    config.qemu = options_.install.qemu;
    UniqueFd imageFd(::open(image->c_str(), O_RDONLY | O_CLOEXEC));
    if (!imageFd.valid()) return sysError("open the nanos image", errno);
    config.image = kImageFdPath;
    config.memoryMb = spec.memoryMb;
    config.kvm = options_.install.kvm;
    config.runtimeSocket = (*dir / "runtime.sock").string();
    auto spawned = spawnQemu(::stratus::nanos::qemuArgv(config), *dir, imageFd.get());
    if (!spawned) return propagate(spawned.error(), "start qemu");

    RuntimeChannels channels;
    channels.listener = std::move(*listener);
    channels.stdoutRead = std::move(spawned->out);
    channels.stderrRead = std::move(spawned->err);
    channels.exitWatch.reset(::fcntl(spawned->vm->pidfd(), F_DUPFD_CLOEXEC, 0));
    std::weak_ptr<VmProcess> weakVm = spawned->vm;
    channels.exitReason = [weakVm] {
      auto vm = weakVm.lock();
      std::optional<int> status = vm ? vm->reap(false) : std::nullopt;
      return status ? describeVmExit(decodeVmExit(*status)) : std::string("the VM stopped");
    };
    channels.logFilter = [](std::string_view logs) { return ::stratus::nanos::stripKernelLines(logs); };
    auto host = std::make_unique<VmHost>(spawned->vm, std::exchange(remover.dir, {}));
    return makeRuntimeInstance(io_, std::move(channels), std::move(host));
  }

  void shutdown() override {
    if (stopped_.exchange(true)) return;
    work_.reset();
    io_.stop();
    if (ioThread_.joinable()) ioThread_.join();
  }

 private:
  // A runtime's files are collected once (ldd over its binaries), on first use.
  Result<std::shared_ptr<const RuntimeTree>> runtimeTree(const std::string& runtime) {
    std::lock_guard lock(runtimesMutex_);
    if (auto found = runtimes_.find(runtime); found != runtimes_.end()) return found->second;
    auto tree = collectRuntime(runtime);
    if (!tree) return std::unexpected(tree.error());
    auto shared = std::make_shared<const RuntimeTree>(std::move(*tree));
    runtimes_[runtime] = shared;
    return shared;
  }

  NanosInstanceOptions options_;
  ImageCache images_;
  std::mutex runtimesMutex_;
  std::map<std::string, std::shared_ptr<const RuntimeTree>> runtimes_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread ioThread_;
  std::atomic<bool> stopped_{false};
};

}  // namespace

Result<std::unique_ptr<InstanceFactory>> makeNanosInstances(NanosInstanceOptions options) {
  if (!options.install.usable())
    return fail(ErrorKind::unavailable, "nanos_unavailable", missingSummary(options.install));
  if (::geteuid() != 0)
    return fail(ErrorKind::unavailable, "nanos_unavailable",
                "the nanos executor needs root (it runs qemu as an unprivileged user)");
  std::error_code ec;
  // What a crashed earlier run left: its instances' folders (their qemu died with it).
  fs::remove_all(options.stateDir, ec);
  fs::create_directories(options.stateDir, ec);
  if (ec) return sysError("create " + options.stateDir.string(), ec.value());
  // Search-only: the VM's user reaches its own folder, and lists nothing.
  fs::permissions(options.stateDir, fs::perms(0711), ec);
  fs::permissions(options.stateDir.parent_path(), fs::perms(0711), ec);
  if (auto written = writeRuntimeFiles(options.runtimeDir); !written)
    return propagate(written.error(), "install the runtime bootstraps");
  return std::unique_ptr<InstanceFactory>(new NanosInstanceFactory(std::move(options)));
}

}  // namespace stratus::exec::nanos
