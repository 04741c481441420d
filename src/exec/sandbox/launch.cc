#include "exec/sandbox/launch.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "exec/sandbox/contain.h"
#include "exec/sandbox/rootfs.h"
#include "runtime/namespace_listener.h"

namespace stratus::exec::sandbox {
namespace fs = std::filesystem;

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

}  // namespace

InitProcess::InitProcess(pid_t pid)
    : pid_(pid), pidfd_(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0))) {}

InitProcess::InitProcess(InitProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      pidfd_(std::move(other.pidfd_)),
      reaped_(std::exchange(other.reaped_, true)) {}

InitProcess::~InitProcess() {
  if (!reaped_ && pid_ > 0) {
    kill();
    reap();
  }
}

void InitProcess::kill() const {
  // Through the pidfd where possible: a reaped pid could already name someone else.
  if (pidfd_.valid()) ::syscall(SYS_pidfd_send_signal, pidfd_.get(), SIGKILL, nullptr, 0);
  else if (pid_ > 0) ::kill(pid_, SIGKILL);
}

int InitProcess::reap() {
  int status = 0;
  while (::waitpid(pid_, &status, __WALL) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  return status;
}

Sandbox::MountPoint::~MountPoint() {
  if (!path.empty()) ::rmdir(path.c_str());
}

Sandbox::~Sandbox() {
  init.kill();  // pid 1 of the namespace: the kernel kills everything else in it
  cgroup.killAll();
}

std::optional<int> Sandbox::programStatus() const {
  int status = 0;
  if (!statusRead.valid()) return std::nullopt;
  pollfd ready{statusRead.get(), POLLIN, 0};
  if (::poll(&ready, 1, 0) != 1) return std::nullopt;
  if (::read(statusRead.get(), &status, sizeof status) != sizeof status) return std::nullopt;
  return status;
}

Result<Sandbox> launchSandbox(const LaunchContext& context, const LaunchSpec& spec) {
  // Everything the child will read, prepared here (see contain.h).
  fs::path rootDir = context.stateDir / spec.id;
  std::error_code ec;
  fs::create_directories(rootDir, ec);
  if (ec) return sysError("create " + rootDir.string(), ec.value());
  Sandbox::MountPoint mountPoint(rootDir);

  RootfsSpec rootfsSpec;
  rootfsSpec.root = rootDir;
  rootfsSpec.codeDir = spec.codeDir;
  rootfsSpec.runtimeDir = context.runtimeDir;
  rootfsSpec.tmpSizeMb = context.tmpfsSizeMb;
  rootfsSpec.uid = kInsideId;
  rootfsSpec.gid = kInsideId;
  std::vector<FsOp> rootfs = buildRootfsPlan(rootfsSpec);

  std::vector<const char*> argv, envp;
  for (auto& a : spec.argv) argv.push_back(a.c_str());
  argv.push_back(nullptr);
  for (auto& e : spec.env) envp.push_back(e.c_str());
  envp.push_back(nullptr);

  auto sync = makePipe(), errors = makePipe(), status = makePipe(), out = makePipe(),
       err = makePipe();
  for (auto* p : {&sync, &errors, &status, &out, &err})
    if (!*p) return std::unexpected(p->error());
  std::optional<Pipe> specPipe;
  if (spec.specPipe) {
    auto made = makePipe();
    if (!made) return std::unexpected(made.error());
    specPipe = std::move(*made);
  }

  ChildPlan plan;
  plan.rootfs = &rootfs;
  plan.argv = argv.data();
  plan.envp = envp.data();
  plan.uid = kInsideId;
  plan.gid = kInsideId;
  plan.seccomp = context.seccomp->program();
  rlim_t tmpBytes = static_cast<rlim_t>(context.tmpfsSizeMb) << 20;
  plan.rlimits = {{RLIMIT_NOFILE, 1024},
                  {RLIMIT_CORE, 0},
                  {RLIMIT_FSIZE, tmpBytes},
                  {RLIMIT_NPROC, static_cast<rlim_t>(context.pidsMax)}};
  if (spec.cpuSeconds) plan.rlimits.push_back({RLIMIT_CPU, *spec.cpuSeconds});
  plan.syncFd = sync->read.get();
  plan.errorFd = errors->write.get();
  plan.statusFd = status->write.get();
  plan.stdoutFd = out->write.get();
  plan.stderrFd = err->write.get();
  if (specPipe) plan.specFd = specPipe->read.get();

  CgroupLimits limits;
  limits.memoryBytes = spec.memoryBytes;
  limits.pidsMax = context.pidsMax;
  limits.cpuPercent = context.cpuPercent;
  limits.cpuWeight = spec.cpuWeight;
  auto cgroup = Cgroup::create(context.cgroupVersion, context.cgroupName, spec.id, limits);
  if (!cgroup) return propagate(cgroup.error(), "sandbox cgroup");

  void* stack = ::mmap(nullptr, kCloneStackBytes, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) return sysError("mmap clone stack", errno);
  pid_t pid = ::clone(childMain, static_cast<char*>(stack) + kCloneStackBytes,
                      namespaceCloneFlags() | SIGCHLD, &plan);
  int cloneErrno = errno;
  ::munmap(stack, kCloneStackBytes);  // the child has its own copy of the address space
  if (pid < 0) return sysError("clone into new namespaces", cloneErrno);
  Sandbox sandbox(spec.id, std::move(mountPoint), std::move(*cgroup), InitProcess(pid));

  // The parent's half of the checklist: cgroup, then the id maps (one host uid per
  // sandbox, so no two can signal or trace each other), the Runtime API listener, then
  // release the child.
  std::string proc = "/proc/" + std::to_string(pid);
  std::string map = std::to_string(kInsideId) + " " + std::to_string(spec.hostId) + " 1\n";
  Status prepared = sandbox.cgroup.addProcess(pid);
  if (prepared) prepared = writeText(proc + "/uid_map", map);
  if (prepared) prepared = writeText(proc + "/gid_map", map);
  if (!prepared) return propagate(prepared.error(), "prepare sandbox child");
  if (spec.runtimeApi) {
    UniqueFd netns(::open((proc + "/ns/net").c_str(), O_RDONLY | O_CLOEXEC));
    if (!netns.valid()) return sysError("open the sandbox's network namespace", errno);
    auto listener = runtime::listenInNetworkNamespace(netns.get());
    if (!listener) return propagate(listener.error(), "Runtime API listener");
    sandbox.listener = std::move(*listener);
  }
  sync->read.reset();
  errors->write.reset();
  status->write.reset();
  out->write.reset();
  err->write.reset();
  if (specPipe) {
    specPipe->read.reset();
    sandbox.specWrite = std::move(specPipe->write);
  }
  if (::write(sync->write.get(), "1", 1) != 1) return sysError("release sandbox child", errno);
  sync->write.reset();

  // End-of-file on the error pipe: the program was exec'd, the root is in place.
  ChildFailure failure;
  ssize_t n;
  while ((n = ::read(errors->read.get(), &failure, sizeof failure)) < 0 && errno == EINTR) {
  }
  if (n == sizeof failure)
    return fail(ErrorKind::internal, "sandbox_setup_failed",
                "sandbox setup failed: " + describeStep(failure.step, rootfs) + ": " +
                    std::strerror(failure.error));
  sandbox.stdoutRead = std::move(out->read);
  sandbox.stderrRead = std::move(err->read);
  sandbox.statusRead = std::move(status->read);
  return sandbox;
}

Status mountCode(const Sandbox& sandbox, const fs::path& codeDir) {
  // A detached copy of the code folder, made read-only while still in the host's
  // namespace, then moved onto /var/task from inside the sandbox's: the sandbox itself
  // never gets a path into the host's tree.
  UniqueFd tree(static_cast<int>(::open_tree(AT_FDCWD, codeDir.c_str(),
                                             OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC)));
  if (!tree.valid()) return sysError("open_tree " + codeDir.string(), errno);
  mount_attr attr{};
  attr.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
  // A clone of a shared mount would stay a peer of the host's: mounts under the code folder
  // would propagate into the sandbox. Private: nothing flows either way.
  attr.propagation = MS_PRIVATE;
  if (::mount_setattr(tree.get(), "", AT_EMPTY_PATH, &attr, sizeof attr) != 0)
    return sysError("make the code mount read-only", errno);
  std::string nsPath = "/proc/" + std::to_string(sandbox.init.pid()) + "/ns/mnt";
  UniqueFd mntns(::open(nsPath.c_str(), O_RDONLY | O_CLOEXEC));
  if (!mntns.valid()) return sysError("open the sandbox's mount namespace", errno);

  Status result;
  // setns into a mount namespace needs a thread that shares no filesystem context.
  std::thread worker([&] {
    if (::unshare(CLONE_FS) != 0) {
      result = sysError("unshare CLONE_FS", errno);
      return;
    }
    if (::setns(mntns.get(), CLONE_NEWNS) != 0) {
      result = sysError("join the sandbox's mount namespace", errno);
      return;
    }
    if (::move_mount(tree.get(), "", AT_FDCWD, "/var/task", MOVE_MOUNT_F_EMPTY_PATH) != 0)
      result = sysError("mount the code at /var/task", errno);
  });
  worker.join();
  return result;
}

}  // namespace stratus::exec::sandbox
