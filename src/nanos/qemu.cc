#include "nanos/qemu.h"

#include <sys/wait.h>

namespace stratus::nanos {

std::vector<std::string> qemuArgv(const VmConfig& config) {
  std::string forward = "tcp:" + std::string(kRuntimeApiGuestAddress) + ":" +
                        std::to_string(kRuntimeApiGuestPort) + "-unix:" + config.runtimeSocket;
  return {
      config.qemu,
      "-machine", "pc",
      "-nodefaults", "-no-user-config",
      "-accel", config.kvm ? "kvm" : "tcg",
      "-cpu", config.kvm ? "host" : "max",
      "-smp", "1",
      "-m", std::to_string(config.memoryMb) + "M",
      "-display", "none",
      "-serial", "stdio",
      "-device", "isa-debug-exit",
      "-no-reboot",
      "-snapshot",
      "-drive", "if=none,id=hd0,format=raw,file=" + config.image,
      "-device", "virtio-blk-pci,drive=hd0",
      // restrict=on: no packet leaves for the host or beyond; only the forward rule works.
      "-netdev", "user,id=n0,restrict=on,guestfwd=" + forward,
      "-device", "virtio-net-pci,netdev=n0",
      // qemu's own seccomp filter: no new processes, no privilege changes, no obsolete calls.
      "-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny",
  };
}

VmExit decodeVmExit(int waitStatus) {
  if (WIFSIGNALED(waitStatus)) return {VmExit::Kind::killed, WTERMSIG(waitStatus)};
  int code = WIFEXITED(waitStatus) ? WEXITSTATUS(waitStatus) : 0;
  if (code & 1) return {VmExit::Kind::programExited, code >> 1};
  return {VmExit::Kind::vmStopped, code};
}

std::string describeVmExit(const VmExit& exit) {
  switch (exit.kind) {
    case VmExit::Kind::programExited:
      return "the runtime exited with status " + std::to_string(exit.code);
    case VmExit::Kind::killed:
      return "the VM was killed by signal " + std::to_string(exit.code);
    case VmExit::Kind::vmStopped:
      break;
  }
  return "the VM stopped (qemu status " + std::to_string(exit.code) + ")";
}

bool isKernelLine(std::string_view line) {
  // "[" digits "." digits "]" " "
  std::size_t i = 0;
  if (line.size() < 5 || line[i++] != '[') return false;
  auto digits = [&] {
    std::size_t start = i;
    while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
    return i > start;
  };
  if (!digits() || i >= line.size() || line[i++] != '.') return false;
  if (!digits() || i + 1 >= line.size()) return false;
  return line[i] == ']' && line[i + 1] == ' ';
}

std::string stripKernelLines(std::string_view console) {
  std::string out;
  out.reserve(console.size());
  while (!console.empty()) {
    std::size_t end = console.find('\n');
    std::size_t take = end == std::string_view::npos ? console.size() : end + 1;
    std::string_view line = console.substr(0, take);
    std::string_view body = line;
    if (body.ends_with('\n')) body.remove_suffix(1);
    if (body.ends_with('\r')) body.remove_suffix(1);
    if (!(end != std::string_view::npos && isKernelLine(body))) out += line;
    console.remove_prefix(take);
  }
  return out;
}

}  // namespace stratus::nanos
