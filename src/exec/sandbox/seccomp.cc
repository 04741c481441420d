#include "exec/sandbox/seccomp.h"

#include <sched.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "common/unique_fd.h"

namespace stratus::exec::sandbox {
namespace {

// Calls that reach kernel surface a function never needs and that container escapes have
// used: mounting and namespaces, tracing and cross-process memory access, modules and
// kexec, BPF and perf, keyrings, clocks, swap, reboot, accounting, handle-based opens
// (CVE-2014-3519 "shocker"), userfaultfd (a heap-exploitation aid) and io_uring (a large,
// bug-prone surface that also bypasses this filter for the operations it performs).
constexpr const char* kDenied[] = {
    "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen", "fsconfig",
    "fsmount", "fspick", "mount_setattr", "unshare", "setns", "ptrace", "process_vm_readv",
    "process_vm_writev", "kcmp", "pidfd_getfd", "kexec_load", "kexec_file_load", "init_module",
    "finit_module", "delete_module", "create_module", "bpf", "perf_event_open", "keyctl",
    "add_key", "request_key", "userfaultfd", "reboot", "swapon", "swapoff", "syslog", "acct",
    "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "stime", "open_by_handle_at",
    "name_to_handle_at", "quotactl", "lookup_dcookie", "nfsservctl", "vhangup", "iopl", "ioperm",
    "personality", "uselib", "ustat", "sysfs", "_sysctl", "get_kernel_syms", "query_module",
    "io_uring_setup", "io_uring_enter", "io_uring_register", "fanotify_init", "sethostname",
    "setdomainname", "mbind", "migrate_pages", "move_pages", "set_mempolicy",
};

// Namespace flags a process must not pass to clone(): a new user namespace would hand it
// capabilities again.
constexpr unsigned long kNamespaceFlags[] = {CLONE_NEWUSER, CLONE_NEWNS,  CLONE_NEWPID,
                                             CLONE_NEWNET,  CLONE_NEWIPC, CLONE_NEWUTS,
                                             CLONE_NEWCGROUP};

struct ContextDeleter {
  void operator()(scmp_filter_ctx ctx) const { seccomp_release(ctx); }
};

}  // namespace

Result<SeccompProgram> buildSeccompProgram() {
  std::unique_ptr<void, ContextDeleter> ctx(seccomp_init(SCMP_ACT_ALLOW));
  if (!ctx) return internalError("seccomp_init failed");
  auto add = [&](int action, int syscall, unsigned count, scmp_arg_cmp* args) -> Status {
    int rc = seccomp_rule_add_array(ctx.get(), action, syscall, count, args);
    if (rc != 0) return sysError("seccomp rule", -rc);
    return {};
  };
  for (const char* name : kDenied) {
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) continue;  // not a syscall on this architecture
    if (auto ok = add(SCMP_ACT_ERRNO(EPERM), nr, 0, nullptr); !ok) return std::unexpected(ok.error());
  }
  // Sockets: unix, and IPv4 TCP — which reaches only the namespace's own loopback, where
  // the instance's Runtime API listens (the net namespace has no other interface). Every
  // other family (IPv6, netlink, packet, vsock, ...) is refused, and so are IPv4's other
  // types and protocols (SCTP, DCCP, L2TP...), whose first use would have the kernel load
  // their modules on an unprivileged process's behalf.
  for (int family = 0; family < AF_MAX; ++family) {
    if (family == AF_UNIX || family == AF_INET) continue;
    scmp_arg_cmp is = SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(family));
    if (auto ok = add(SCMP_ACT_ERRNO(EPERM), SCMP_SYS(socket), 1, &is); !ok)
      return std::unexpected(ok.error());
  }
  scmp_arg_cmp beyond = SCMP_A0(SCMP_CMP_GE, AF_MAX);
  if (auto ok = add(SCMP_ACT_ERRNO(EPERM), SCMP_SYS(socket), 1, &beyond); !ok)
    return std::unexpected(ok.error());
  for (int type = 0; type <= 0xf; ++type) {
    if (type == SOCK_STREAM) continue;
    scmp_arg_cmp inet[2] = {SCMP_A0(SCMP_CMP_EQ, AF_INET),
                            SCMP_A1(SCMP_CMP_MASKED_EQ, 0xf, static_cast<scmp_datum_t>(type))};
    if (auto ok = add(SCMP_ACT_ERRNO(EPERM), SCMP_SYS(socket), 2, inet); !ok)
      return std::unexpected(ok.error());
  }
  scmp_arg_cmp otherProtocol[2] = {SCMP_A0(SCMP_CMP_EQ, AF_INET),
                                   SCMP_A2(SCMP_CMP_GT, IPPROTO_TCP)};
  if (auto ok = add(SCMP_ACT_ERRNO(EPERM), SCMP_SYS(socket), 2, otherProtocol); !ok)
    return std::unexpected(ok.error());
  for (int protocol = 1; protocol < IPPROTO_TCP; ++protocol) {
    scmp_arg_cmp inet[2] = {SCMP_A0(SCMP_CMP_EQ, AF_INET),
                            SCMP_A2(SCMP_CMP_EQ, static_cast<scmp_datum_t>(protocol))};
    if (auto ok = add(SCMP_ACT_ERRNO(EPERM), SCMP_SYS(socket), 2, inet); !ok)
      return std::unexpected(ok.error());
  }
  for (unsigned long flag : kNamespaceFlags) {
    scmp_arg_cmp hasFlag = SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag);
    if (auto ok = add(SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1, &hasFlag); !ok)
      return std::unexpected(ok.error());
  }
  // clone3 passes its flags in memory, where a filter cannot look: answer ENOSYS so libc
  // falls back to clone(), whose flags are checked above (Docker does the same).
  if (auto ok = add(SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0, nullptr); !ok)
    return std::unexpected(ok.error());
  // TIOCSTI lets a process type into its terminal's input queue.
  scmp_arg_cmp tiocsti = SCMP_A1(SCMP_CMP_EQ, 0x5412);
  if (auto ok = add(SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1, &tiocsti); !ok)
    return std::unexpected(ok.error());

  UniqueFd memory(::memfd_create("seccomp-bpf", MFD_CLOEXEC));
  if (!memory.valid()) return sysError("memfd_create", errno);
  if (int rc = seccomp_export_bpf(ctx.get(), memory.get()); rc != 0)
    return sysError("seccomp_export_bpf", -rc);
  off_t size = ::lseek(memory.get(), 0, SEEK_END);
  if (size <= 0 || size % sizeof(sock_filter) != 0) return internalError("bad seccomp program size");
  SeccompProgram program;
  program.instructions.resize(static_cast<size_t>(size) / sizeof(sock_filter));
  if (::pread(memory.get(), program.instructions.data(), static_cast<size_t>(size), 0) != size)
    return sysError("read seccomp program", errno);
  return program;
}

}  // namespace stratus::exec::sandbox
