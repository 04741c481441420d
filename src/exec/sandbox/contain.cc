#include "exec/sandbox/contain.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <string>

namespace stratus::exec::sandbox {
namespace {

// Where failStep reports; moved if the error pipe sits where the spec descriptor must go.
// A plain static is safe: the child has its own copy of the address space.
int childErrorFd = -1;

[[noreturn]] void failStep(const ChildPlan&, int step) {
  ChildFailure failure{step, errno};
  (void)!::write(childErrorFd, &failure, sizeof failure);
  ::_exit(126);
}

const char* orNull(const std::string& s) { return s.empty() ? nullptr : s.c_str(); }

// Closes every inherited descriptor except the plan's own: the server's sockets, database
// and blob files must never be reachable from a function.
bool closeInheritedFds(const ChildPlan& plan) {
  int keep[] = {plan.syncFd, plan.errorFd, plan.statusFd, plan.stdoutFd, plan.stderrFd,
                plan.specFd};
  std::sort(std::begin(keep), std::end(keep));
  unsigned int next = 3;
  for (int fd : keep) {
    if (fd < static_cast<int>(next)) continue;
    if (static_cast<unsigned int>(fd) > next &&
        ::syscall(SYS_close_range, next, static_cast<unsigned int>(fd) - 1, 0) != 0)
      return false;
    next = static_cast<unsigned int>(fd) + 1;
  }
  return ::syscall(SYS_close_range, next, ~0U, 0) == 0;
}

int runFsOp(const FsOp& op) {
  using K = FsOp::Kind;
  switch (op.kind) {
    case K::mount:
      return ::mount(orNull(op.a), op.b.c_str(), orNull(op.fsType), op.flags, orNull(op.data));
    case K::mkdir: return ::mkdir(op.a.c_str(), 0755);
    case K::symlink: return ::symlink(op.a.c_str(), op.b.c_str());
    case K::writeFile: {
      int fd = ::open(op.a.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (fd < 0) return -1;
      ssize_t n = op.b.empty() ? 0 : ::write(fd, op.b.data(), op.b.size());
      ::close(fd);
      return n == static_cast<ssize_t>(op.b.size()) ? 0 : -1;
    }
    case K::pivotRoot: return static_cast<int>(::syscall(SYS_pivot_root, op.a.c_str(), op.b.c_str()));
    case K::chdir: return ::chdir(op.a.c_str());
    case K::unmount: return ::umount2(op.a.c_str(), MNT_DETACH);
    case K::rmdir: return ::rmdir(op.a.c_str());
  }
  errno = EINVAL;
  return -1;
}

// Runs in the program's process, after fork: from a user with every capability in the
// namespace to one with none, no way to regain any, and the seccomp filter.
[[noreturn]] void becomeProgram(const ChildPlan& plan) {
  if (::dup2(plan.stdoutFd, STDOUT_FILENO) < 0 || ::dup2(plan.stderrFd, STDERR_FILENO) < 0)
    failStep(plan, kStdio);
  int devNull = ::open("/dev/null", O_RDONLY);
  if (devNull < 0 || ::dup2(devNull, STDIN_FILENO) < 0) failStep(plan, kStdio);
  unsigned int firstClosed = 3;
  if (plan.specFd >= 0) {
    // Out of the way first: the error pipe may be the very number the spec must take.
    int errorCopy = ::fcntl(childErrorFd, F_DUPFD_CLOEXEC, 64);
    if (errorCopy < 0) failStep(plan, kStdio);
    childErrorFd = errorCopy;
    if (plan.specFd != kSpecFd && ::dup2(plan.specFd, kSpecFd) < 0) failStep(plan, kStdio);
    if (::fcntl(kSpecFd, F_SETFD, 0) != 0) failStep(plan, kStdio);  // survives the exec
    firstClosed = kSpecFd + 1;
  }
  // Everything above 2 (3 if a spec is passed) closes at exec; the error pipe stays usable
  // until then.
  if (::syscall(SYS_close_range, firstClosed, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
    failStep(plan, kCloseFds);

  for (int cap = 0; cap <= CAP_LAST_CAP; ++cap)
    if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) failStep(plan, kDropBoundingSet);
  ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct none[2] = {};
  if (::syscall(SYS_capset, &header, none) != 0) failStep(plan, kDropCapabilities);

  for (const auto& limit : plan.rlimits) {
    rlimit value{limit.value, limit.value};
    if (::setrlimit(static_cast<__rlimit_resource>(limit.resource), &value) != 0)
      failStep(plan, kRlimits);
  }
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) failStep(plan, kNoNewPrivs);
  if (::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &plan.seccomp) != 0) failStep(plan, kSeccomp);
  if (::chdir(plan.workDir) != 0) failStep(plan, kChdir);
  ::execve(plan.argv[0], const_cast<char* const*>(plan.argv), const_cast<char* const*>(plan.envp));
  failStep(plan, kExec);
}

}  // namespace

int namespaceCloneFlags() {
  return CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS |
         CLONE_NEWCGROUP;
}

int childMain(void* arg) {
  const ChildPlan& plan = *static_cast<const ChildPlan*>(arg);
  childErrorFd = plan.errorFd;
  // Should the parent die, so do we (and with us, as pid 1, the whole namespace).
  ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (!closeInheritedFds(plan)) failStep(plan, kCloseFds);
  char go = 0;
  if (::read(plan.syncFd, &go, 1) != 1) failStep(plan, kWaitForParent);
  ::close(plan.syncFd);
  // Become the run's own user before touching anything: files created in the new tmpfs
  // need an owner mapped in the namespace (EOVERFLOW otherwise), and the host's root
  // identity must not linger. Capabilities within the namespace survive this switch,
  // because uid 0 is not mapped there, so the kernel does not treat it as "leaving root".
  // Supplementary groups are still the server's (root's): clear them first.
  if (::syscall(SYS_setgroups, 0, nullptr) != 0) failStep(plan, kSetGroups);
  if (::syscall(SYS_setresgid, plan.gid, plan.gid, plan.gid) != 0) failStep(plan, kSetGid);
  if (::syscall(SYS_setresuid, plan.uid, plan.uid, plan.uid) != 0) failStep(plan, kSetUid);
  // A credential change clears the parent-death signal: arm it again, or a run would
  // outlive a crashed server (its timeout is enforced by the server, not the kernel).
  ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);

  const auto& ops = *plan.rootfs;
  for (std::size_t i = 0; i < ops.size(); ++i)
    if (runFsOp(ops[i]) != 0) failStep(plan, kFsOpBase + static_cast<int>(i));
  if (::sethostname("sandbox", 7) != 0) failStep(plan, kHostname);

  // A raw fork: glibc's fork() runs atfork handlers and takes malloc locks that another
  // thread of the server may have held at clone() time.
  long pid = ::syscall(SYS_clone, SIGCHLD, nullptr, nullptr, nullptr, 0);
  if (pid < 0) failStep(plan, kFork);
  if (pid == 0) becomeProgram(plan);

  // The mini-init. Nothing of the program may inspect it: it keeps capabilities in the
  // namespace and the server's memory image.
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  ::close(plan.stdoutFd);
  ::close(plan.stderrFd);
  if (plan.specFd >= 0) ::close(plan.specFd);
  // Only the program's copy of the error pipe is left, and it closes at exec: the parent
  // sees end-of-file exactly when the program started.
  ::close(childErrorFd);
  for (;;) {
    int status = 0;
    long reaped = ::waitpid(-1, &status, 0);
    if (reaped == pid) {
      (void)!::write(plan.statusFd, &status, sizeof status);
      ::_exit(0);  // the kernel now kills every process left in the namespace
    }
    if (reaped < 0 && errno != EINTR) ::_exit(125);
  }
}

std::string describeStep(int step, const std::vector<FsOp>& rootfs) {
  if (step >= kFsOpBase && step - kFsOpBase < static_cast<int>(rootfs.size()))
    return rootfs[static_cast<std::size_t>(step - kFsOpBase)].describe();
  switch (step) {
    case kWaitForParent: return "wait for the parent";
    case kCloseFds: return "close inherited descriptors";
    case kHostname: return "set the hostname";
    case kFork: return "fork the program";
    case kStdio: return "connect stdio";
    case kSetGroups: return "clear supplementary groups";
    case kSetGid: return "switch group";
    case kSetUid: return "switch user";
    case kDropBoundingSet: return "drop the capability bounding set";
    case kDropCapabilities: return "drop capabilities";
    case kRlimits: return "set resource limits";
    case kNoNewPrivs: return "set no_new_privs";
    case kSeccomp: return "install the seccomp filter";
    case kChdir: return "enter /var/task";
    case kExec: return "start the interpreter";
  }
  return "step " + std::to_string(step);
}

}  // namespace stratus::exec::sandbox
