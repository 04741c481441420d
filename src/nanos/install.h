// Where this host's Nanos pieces are: the kernel and boot images, a Nanos mkfs, qemu, and
// whether KVM can be used. Found as ops installs them, or where the operator says:
//   kernel  NANOS_KERNEL, else <dir>/kernel.img where <dir> is ${OPS_HOME:-$HOME}/.ops/<v>
//           and <v> is named by ${OPS_HOME:-$HOME}/.ops/latest.txt
//   boot    NANOS_BOOT, else boot.img beside the kernel
//   mkfs    NANOS_MKFS, else mkfs beside the kernel, else a Nanos mkfs on PATH (PATH's
//           first "mkfs" is usually util-linux's, so a candidate must answer like Nanos's)
//   qemu    NANOS_QEMU, else qemu-system-x86_64 on PATH
//   kvm     /dev/kvm can be opened read-write
// locateNanos is pure over a Probe, so every rule is unit-tested without a file system.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace stratus::nanos {

struct NanosInstall {
  std::string kernel, boot, mkfs, qemu;  // absolute paths; empty when not found
  std::string version;                   // the ops version directory's name, if from ops
  bool kvm = false;
  // One line per missing piece, saying what to set: "no Nanos kernel found (set
  // NANOS_KERNEL, or install one with ops)". Empty when everything was found.
  std::vector<std::string> missing;
  bool usable() const { return missing.empty(); }
};

struct Probe {
  std::function<std::optional<std::string>(const std::string&)> env;
  std::function<bool(const std::string&)> isFile;
  std::function<std::optional<std::string>(const std::string&)> readFile;
  // Every executable named `name` in PATH's folders, in PATH order.
  std::function<std::vector<std::string>(const std::string&)> onPath;
  std::function<bool(const std::string&)> isNanosMkfs;
  std::function<bool()> kvmUsable;
};

NanosInstall locateNanos(const Probe& probe);
// The probe of this host: its environment, files and PATH.
Probe hostProbe();

// The reason boot tests give when they cannot run: "no Nanos kernel found (set
// NANOS_KERNEL...)" and the rest of `install.missing`.
std::string missingSummary(const NanosInstall& install);

}  // namespace stratus::nanos
