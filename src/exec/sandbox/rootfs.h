// The minimal read-only root a sandboxed program sees, as a list of filesystem operations.
// The list is built in the parent (pure, unit-tested) and executed by the child after
// clone(), where nothing may allocate: every string the child needs lives in the plan.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace stratus::exec::sandbox {

struct FsOp {
  enum class Kind { mount, mkdir, symlink, writeFile, pivotRoot, chdir, unmount, rmdir };
  Kind kind;
  std::string a;  // mount: source; mkdir/writeFile/chdir/unmount/rmdir: path; symlink: target
  std::string b;  // mount: target; symlink: link path; writeFile: content; pivotRoot: put_old
  std::string fsType;  // mount only
  unsigned long flags = 0;
  std::string data;  // mount options
  // For logs and error messages: "bind /usr read-only".
  std::string describe() const;
};

struct RootfsSpec {
  std::filesystem::path root;     // an empty host directory; the new root is a tmpfs on it
  // Host folder mounted read-only at /var/task. Empty: /var/task stays an empty directory
  // that the host mounts the code on later (a ready sandbox, specialised when taken).
  std::filesystem::path codeDir;
  // Host folder with the runtimes' bootstraps, bound read-only at /opt/stratus, if set.
  std::filesystem::path runtimeDir;
  int tmpSizeMb = 64;
  uid_t uid = 1000;  // the identity /etc/passwd names, as seen inside
  gid_t gid = 1000;
  // Host files bound read-only at the same path inside (e.g. /etc/ld.so.cache), if present.
  std::vector<std::filesystem::path> extraFiles = {"/etc/ld.so.cache"};
};

// Private mount propagation; a tmpfs root with /usr (and the merged-usr symlinks bin, lib,
// lib64, sbin), a tiny /etc, /dev with null, zero, random, urandom, the code at /var/task,
// a size-limited /tmp and a fresh /proc; pivot_root into it, detach the host's tree, and
// make everything but /tmp read-only. Host mounts are bound read-only with nosuid and
// nodev; in a user namespace a read-only remount must keep the flags the host mount has
// locked, so each bind is remounted with MS_NOSUID|MS_NODEV added, never removed.
std::vector<FsOp> buildRootfsPlan(const RootfsSpec& spec);

}  // namespace stratus::exec::sandbox
