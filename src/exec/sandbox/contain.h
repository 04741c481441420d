// What runs in the cloned child: a checklist that walks from "a copy of the server in new
// namespaces" to "the function's interpreter, unprivileged, filtered". Everything it needs
// is prepared by the parent in a ChildPlan, because after clone() from a multi-threaded
// process only async-signal-safe calls are allowed: no malloc, no locks, no exceptions.
#pragma once

#include <linux/filter.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <vector>

#include "exec/sandbox/rootfs.h"

namespace stratus::exec::sandbox {

// The namespaces of a run: user, pid, mount, network (no interfaces), ipc, uts, cgroup.
int namespaceCloneFlags();

// Which checklist step failed, reported to the parent through the error pipe.
struct ChildFailure {
  int step = 0;   // a ChildStep, or kFsOpBase + index into the rootfs plan
  int error = 0;  // errno
};

enum ChildStep : int {
  kWaitForParent = 1,
  kCloseFds,
  kHostname,
  kFork,
  kStdio,
  kSetGroups,
  kSetGid,
  kSetUid,
  kDropBoundingSet,
  kDropCapabilities,
  kRlimits,
  kNoNewPrivs,
  kSeccomp,
  kChdir,
  kExec,
  kFsOpBase = 1000,
};

struct ChildPlan {
  const std::vector<FsOp>* rootfs = nullptr;
  const char* const* argv = nullptr;  // argv[0] is the interpreter's absolute path
  const char* const* envp = nullptr;
  const char* workDir = "/var/task";
  uid_t uid = 1000;  // inside the user namespace
  gid_t gid = 1000;
  sock_fprog seccomp{};
  struct Limit {
    int resource;
    rlim_t value;
  };
  std::vector<Limit> rlimits;
  // Pipe ends the child keeps; every other inherited descriptor is closed first thing.
  int syncFd = -1;    // read: the parent writes one byte once maps and cgroup are set
  int errorFd = -1;   // write: a ChildFailure if a step fails
  int statusFd = -1;  // write: the program's wait status, from the mini-init
  int stdoutFd = -1;
  int stderrFd = -1;
  // read: becomes the program's descriptor 3 (kSpecFd) when set. A long-lived instance's
  // bootstrap reads what to become from it (runtimes/*/bootstrap).
  int specFd = -1;
};

inline constexpr int kSpecFd = 3;

// clone() entry point; `arg` is a ChildPlan*. Becomes pid 1 of the new pid namespace: sets
// up the root, forks the program, reaps, and exits when the program exits — which makes
// the kernel kill everything else in the namespace.
int childMain(void* arg);

std::string describeStep(int step, const std::vector<FsOp>& rootfs);

}  // namespace stratus::exec::sandbox
