// How a Nanos instance runs under qemu, and how to read what comes back: the command line,
// the exit status (isa-debug-exit), and the serial console, where the kernel's own lines
// and the program's output arrive mixed. Pure: unit-tested on literal inputs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stratus::nanos {

// The guest reaches the host's Runtime API at this address: a guest-forward rule of qemu's
// user network hands every connection to it to the host's socket. Nothing else is routed.
inline constexpr std::string_view kRuntimeApiGuestAddress = "10.0.2.100";
inline constexpr uint16_t kRuntimeApiGuestPort = 9001;
// The guest's own static address on qemu's user network (no DHCP wait at boot).
inline constexpr std::string_view kGuestAddress = "10.0.2.15";
inline constexpr std::string_view kGuestGateway = "10.0.2.2";
inline constexpr std::string_view kGuestNetmask = "255.255.255.0";

struct VmConfig {
  std::string qemu;           // qemu-system-x86_64
  std::string image;          // the disk image (boot sector, kernel and root filesystem)
  int memoryMb = 128;
  bool kvm = false;           // hardware virtualisation; TCG (emulation) otherwise
  std::string runtimeSocket;  // the host's unix socket behind the guest-forward rule
};

// The qemu command line: one vCPU, `memoryMb` of RAM, no display and no default devices,
// the serial console on stdout, -snapshot (the image is never written), no reboot,
// isa-debug-exit (the program's exit code becomes qemu's), a restricted user network
// whose only way out is the Runtime API rule, and qemu's own seccomp sandbox.
std::vector<std::string> qemuArgv(const VmConfig& config);

// What qemu's wait status says about the guest.
struct VmExit {
  enum class Kind {
    programExited,  // the program exited (debug exit): `code` is its exit status
    vmStopped,      // qemu ended by itself with `code`, without a debug exit
    killed,         // qemu was killed by signal `code`
  };
  Kind kind = Kind::vmStopped;
  int code = 0;
};

// isa-debug-exit makes qemu exit with (value << 1) | 1, and Nanos writes the program's
// exit status there: an odd qemu status N means the program exited with N >> 1. qemu's
// own failures exit 1 too, which reads as a program exit of 0; that is told apart by
// whether the runtime ever reached the Runtime API, not here.
VmExit decodeVmExit(int waitStatus);
std::string describeVmExit(const VmExit& exit);

// Whether a console line is the kernel's: "[seconds.micros] text".
bool isKernelLine(std::string_view line);
// The console text without the kernel's lines (a line cut at the end is kept as is).
std::string stripKernelLines(std::string_view console);

}  // namespace stratus::nanos
