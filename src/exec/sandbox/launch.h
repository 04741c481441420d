// Starting a sandbox: clone into new namespaces, cgroup, id maps, optionally the Runtime
// API listener in its network namespace, then release the child and wait until its
// program has been exec'd (or say which setup step failed). Shared by the per-call
// executor and by long-lived instances.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/unique_fd.h"
#include "exec/sandbox/cgroup.h"
#include "exec/sandbox/seccomp.h"

namespace stratus::exec::sandbox {

// What every sandbox of one server shares.
struct LaunchContext {
  CgroupVersion cgroupVersion = CgroupVersion::v1;
  std::string cgroupName = "stratus";
  std::filesystem::path stateDir;    // per-sandbox mount points
  std::filesystem::path runtimeDir;  // bound at /opt/stratus when set
  const SeccompProgram* seccomp = nullptr;
  int tmpfsSizeMb = 64;
  int pidsMax = 64;
  int cpuPercent = 100;
};

struct LaunchSpec {
  std::string id;                   // names the cgroup and the mount point
  uid_t hostId = 0;                 // the host uid/gid the sandbox's user maps to
  std::filesystem::path codeDir;    // empty: /var/task left for a later mount
  std::vector<std::string> argv;    // argv[0] an absolute path inside the sandbox
  std::vector<std::string> env;     // KEY=VALUE
  int64_t memoryBytes = 128ll << 20;
  int cpuWeight = 100;  // CgroupLimits::cpuWeight
  std::optional<rlim_t> cpuSeconds;  // RLIMIT_CPU, a backstop for one-shot runs
  bool specPipe = false;             // give the program descriptor 3 to read its spec from
  bool runtimeApi = false;           // make the Runtime API listener in its netns
};

// The process that is pid 1 of the sandbox: killed and reaped on destruction.
class InitProcess {
 public:
  explicit InitProcess(pid_t pid);
  InitProcess(InitProcess&& other) noexcept;
  InitProcess& operator=(InitProcess&&) = delete;
  InitProcess(const InitProcess&) = delete;
  ~InitProcess();
  pid_t pid() const { return pid_; }
  int pidfd() const { return pidfd_.get(); }
  void kill() const;
  int reap();  // waits; returns the wait status of init itself

 private:
  pid_t pid_;
  UniqueFd pidfd_;
  bool reaped_ = false;
};

// A running sandbox. Destruction kills everything in it and removes its cgroup and mount
// point.
struct Sandbox {
  struct MountPoint {
    std::filesystem::path path;
    MountPoint(std::filesystem::path p) : path(std::move(p)) {}
    MountPoint(MountPoint&& other) noexcept : path(std::exchange(other.path, {})) {}
    MountPoint& operator=(MountPoint&&) = delete;
    ~MountPoint();
  };
  std::string id;
  MountPoint root;
  Cgroup cgroup;
  InitProcess init;
  UniqueFd stdoutRead, stderrRead;
  UniqueFd statusRead;  // the program's wait status, written by init when it exits
  UniqueFd specWrite;   // when LaunchSpec::specPipe
  UniqueFd listener;    // when LaunchSpec::runtimeApi

  Sandbox(std::string id, MountPoint root, Cgroup cgroup, InitProcess init)
      : id(std::move(id)), root(std::move(root)), cgroup(std::move(cgroup)), init(std::move(init)) {}
  Sandbox(Sandbox&&) = default;
  ~Sandbox();
  // The program's wait status once init has reported it; nullopt if it has not exited.
  std::optional<int> programStatus() const;
};

Result<Sandbox> launchSandbox(const LaunchContext& context, const LaunchSpec& spec);

// Mounts `codeDir` read-only at /var/task inside a running sandbox (which was launched
// without code): the host joins its mount namespace on a short-lived thread.
Status mountCode(const Sandbox& sandbox, const std::filesystem::path& codeDir);

}  // namespace stratus::exec::sandbox
