#include "exec/sandbox/rootfs.h"

#include <sys/mount.h>

namespace stratus::exec::sandbox {
namespace {

constexpr unsigned long kBindReadOnly = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV;

}  // namespace

std::string FsOp::describe() const {
  switch (kind) {
    case Kind::mount:
      if (flags & MS_REMOUNT) return "remount " + b + " read-only";
      if (flags & MS_BIND) return "bind " + a + " at " + b;
      if (!fsType.empty()) return "mount " + fsType + " at " + b;
      return "change propagation of " + b;
    case Kind::mkdir: return "create directory " + a;
    case Kind::symlink: return "link " + b + " -> " + a;
    case Kind::writeFile: return "write " + a;
    case Kind::pivotRoot: return "pivot_root into " + a;
    case Kind::chdir: return "chdir " + a;
    case Kind::unmount: return "detach " + a;
    case Kind::rmdir: return "remove " + a;
  }
  return "?";
}

std::vector<FsOp> buildRootfsPlan(const RootfsSpec& spec) {
  using K = FsOp::Kind;
  const std::string root = spec.root.string();
  std::vector<FsOp> ops;
  auto mount = [&](std::string source, std::string target, std::string type, unsigned long flags,
                   std::string data = "") {
    ops.push_back({K::mount, std::move(source), std::move(target), std::move(type), flags,
                   std::move(data)});
  };
  auto mkdir = [&](const std::string& path) { ops.push_back({K::mkdir, root + path, "", "", 0, ""}); };
  auto bindReadOnly = [&](const std::string& host, const std::string& inside) {
    mount(host, root + inside, "", MS_BIND);
    mount("", root + inside, "", kBindReadOnly);
  };

  // Nothing we mount may propagate back to the host.
  mount("", "/", "", MS_REC | MS_PRIVATE);
  mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755");
  for (const char* dir : {"/usr", "/etc", "/dev", "/proc", "/tmp", "/var", "/var/task", "/.old"})
    mkdir(dir);
  if (!spec.runtimeDir.empty()) {
    mkdir("/opt");
    mkdir("/opt/stratus");
  }
  for (const char* link : {"bin", "lib", "lib64", "sbin"})
    ops.push_back({K::symlink, std::string("usr/") + link, root + "/" + link, "", 0, ""});
  bindReadOnly("/usr", "/usr");
  if (!spec.codeDir.empty()) bindReadOnly(spec.codeDir.string(), "/var/task");
  if (!spec.runtimeDir.empty()) bindReadOnly(spec.runtimeDir.string(), "/opt/stratus");
  mount("tmpfs", root + "/tmp", "tmpfs", MS_NOSUID | MS_NODEV,
        "size=" + std::to_string(spec.tmpSizeMb) + "m,mode=1777");

  // /dev: empty files as mount points for the host's harmless character devices. mknod is
  // impossible in a user namespace, and binding the real nodes is what runtimes do too.
  mount("tmpfs", root + "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "size=64k,mode=0755");
  for (const char* device : {"null", "zero", "random", "urandom"}) {
    std::string inside = std::string("/dev/") + device;
    ops.push_back({K::writeFile, root + inside, "", "", 0, ""});
    mount(inside, root + inside, "", MS_BIND);
  }
  ops.push_back({K::symlink, "/proc/self/fd", root + "/dev/fd", "", 0, ""});
  ops.push_back({K::symlink, "/proc/self/fd/0", root + "/dev/stdin", "", 0, ""});
  ops.push_back({K::symlink, "/proc/self/fd/1", root + "/dev/stdout", "", 0, ""});
  ops.push_back({K::symlink, "/proc/self/fd/2", root + "/dev/stderr", "", 0, ""});

  // /etc: just enough for getpwuid() and name lookups of localhost.
  std::string uid = std::to_string(spec.uid), gid = std::to_string(spec.gid);
  ops.push_back({K::writeFile, root + "/etc/passwd",
                 "root:x:0:0::/:/sbin/nologin\nsandbox:x:" + uid + ":" + gid +
                     "::/tmp:/sbin/nologin\n", "", 0, ""});
  ops.push_back({K::writeFile, root + "/etc/group", "root:x:0:\nsandbox:x:" + gid + ":\n", "", 0, ""});
  ops.push_back({K::writeFile, root + "/etc/hosts", "127.0.0.1 localhost\n", "", 0, ""});
  for (const auto& file : spec.extraFiles) {
    ops.push_back({K::writeFile, root + file.string(), "", "", 0, ""});
    bindReadOnly(file.string(), file.string());
  }

  // A /proc of the new pid namespace only: host processes are not in it.
  mount("proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC);

  ops.push_back({K::pivotRoot, root, root + "/.old", "", 0, ""});
  ops.push_back({K::chdir, "/", "", "", 0, ""});
  ops.push_back({K::unmount, "/.old", "", "", 0, ""});
  ops.push_back({K::rmdir, "/.old", "", "", 0, ""});
  mount("", "/dev", "", MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NOEXEC);
  mount("", "/", "", MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV);
  return ops;
}

}  // namespace stratus::exec::sandbox
