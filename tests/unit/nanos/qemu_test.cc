#include "nanos/qemu.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>

namespace stratus::nanos {
namespace {

// The value following `flag` (the first occurrence), or "" when absent.
std::string after(const std::vector<std::string>& argv, const std::string& flag) {
  auto found = std::find(argv.begin(), argv.end(), flag);
  return found == argv.end() || found + 1 == argv.end() ? "" : *(found + 1);
}

bool has(const std::vector<std::string>& argv, const std::string& flag) {
  return std::find(argv.begin(), argv.end(), flag) != argv.end();
}

TEST(QemuArgv, TcgCommandLine) {
  auto argv = qemuArgv({.qemu = "/usr/bin/qemu-system-x86_64", .image = "/proc/self/fd/3",
                        .memoryMb = 256, .kvm = false, .runtimeSocket = "/run/x/runtime.sock"});
  EXPECT_EQ(argv.front(), "/usr/bin/qemu-system-x86_64");
  EXPECT_EQ(after(argv, "-m"), "256M");
  EXPECT_EQ(after(argv, "-accel"), "tcg");
  EXPECT_EQ(after(argv, "-cpu"), "max");
  EXPECT_EQ(after(argv, "-smp"), "1");
  EXPECT_EQ(after(argv, "-serial"), "stdio");
  EXPECT_EQ(after(argv, "-display"), "none");
  for (const char* flag : {"-snapshot", "-no-reboot", "-nodefaults", "-no-user-config"})
    EXPECT_TRUE(has(argv, flag)) << flag;
  EXPECT_EQ(after(argv, "-drive"), "if=none,id=hd0,format=raw,file=/proc/self/fd/3");
  EXPECT_EQ(after(argv, "-netdev"),
            "user,id=n0,restrict=on,guestfwd=tcp:10.0.2.100:9001-unix:/run/x/runtime.sock");
  EXPECT_NE(after(argv, "-sandbox").find("spawn=deny"), std::string::npos);
  // isa-debug-exit is one of the devices.
  bool debugExit = false;
  for (std::size_t i = 0; i + 1 < argv.size(); ++i)
    debugExit |= argv[i] == "-device" && argv[i + 1] == "isa-debug-exit";
  EXPECT_TRUE(debugExit);
}

TEST(QemuArgv, KvmWhenPresent) {
  auto argv = qemuArgv({.qemu = "q", .image = "i", .memoryMb = 128, .kvm = true, .runtimeSocket = "s"});
  EXPECT_EQ(after(argv, "-accel"), "kvm");
  EXPECT_EQ(after(argv, "-cpu"), "host");
  EXPECT_EQ(after(argv, "-m"), "128M");
}

TEST(DecodeVmExit, DebugExitCarriesTheProgramsStatus) {
  // isa-debug-exit: qemu exits with (status << 1) | 1.
  VmExit zero = decodeVmExit(W_EXITCODE(1, 0));
  EXPECT_EQ(zero.kind, VmExit::Kind::programExited);
  EXPECT_EQ(zero.code, 0);
  VmExit seven = decodeVmExit(W_EXITCODE(15, 0));
  EXPECT_EQ(seven.kind, VmExit::Kind::programExited);
  EXPECT_EQ(seven.code, 7);
  EXPECT_EQ(decodeVmExit(W_EXITCODE(255, 0)).code, 127);
  EXPECT_EQ(describeVmExit(seven), "the runtime exited with status 7");
}

TEST(DecodeVmExit, EvenStatusesAndSignalsAreTheVmsOwn) {
  VmExit stopped = decodeVmExit(W_EXITCODE(0, 0));
  EXPECT_EQ(stopped.kind, VmExit::Kind::vmStopped);
  EXPECT_EQ(decodeVmExit(W_EXITCODE(2, 0)).kind, VmExit::Kind::vmStopped);
  VmExit killed = decodeVmExit(SIGKILL);  // a wait status for "killed by SIGKILL"
  EXPECT_EQ(killed.kind, VmExit::Kind::killed);
  EXPECT_EQ(killed.code, SIGKILL);
  EXPECT_EQ(describeVmExit(killed), "the VM was killed by signal 9");
}

TEST(Console, KernelLinesAreRecognised) {
  EXPECT_TRUE(isKernelLine("[0.574958] en1: assigned 10.0.2.15"));
  EXPECT_TRUE(isKernelLine("[12.5] x"));
  EXPECT_FALSE(isKernelLine("[0.574958]no space"));
  EXPECT_FALSE(isKernelLine("[a.5] x"));
  EXPECT_FALSE(isKernelLine("[1] x"));
  EXPECT_FALSE(isKernelLine(" [0.1] indented"));
  EXPECT_FALSE(isKernelLine("hello [0.1] x"));
  EXPECT_TRUE(isKernelLine("[1.2] "));
}

TEST(Console, StripKernelLinesKeepsTheProgramsOutput) {
  EXPECT_EQ(stripKernelLines("[0.297190] en1: assigned 10.0.2.15\n"
                             "call 1\n"
                             "[2.206809] en1: assigned FE80::5054:FF:FE12:3456\n"
                             "[not kernel] line\n"
                             "last without newline"),
            "call 1\n[not kernel] line\nlast without newline");
  EXPECT_EQ(stripKernelLines("[1.5] a cut kernel line"), "[1.5] a cut kernel line");
  EXPECT_EQ(stripKernelLines("a\r\n[0.1] k\r\nb\n"), "a\r\nb\n");
  EXPECT_EQ(stripKernelLines(""), "");
}

}  // namespace
}  // namespace stratus::nanos
