// Resource limits for one run: a cgroup under each v1 controller, or one v2 cgroup. Both
// versions sit behind this one small class; the host's version is detected once.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/unique_fd.h"

namespace stratus::exec::sandbox {

enum class CgroupVersion { v1, v2 };

struct CgroupLimits {
  int64_t memoryBytes = 128ll << 20;
  int pidsMax = 64;
  int cpuPercent = 100;  // of one core
  // Its share of contended CPU, on v2's cpu.weight scale (1-10000, default 100).
  int cpuWeight = 100;
};

struct CgroupUsage {
  int64_t memoryPeakBytes = 0;
  int64_t oomKills = 0;
};

// Pure parsers for the files we read, tested with literal kernel text.
// "oom_kill 3" in v1 memory.oom_control and v2 memory.events (flat "key value" lines).
std::optional<int64_t> parseFlatKey(std::string_view text, std::string_view key);
// A single integer file such as memory.max_usage_in_bytes or memory.peak ("max" -> nullopt).
std::optional<int64_t> parseSingleValue(std::string_view text);
// The pids listed in cgroup.procs.
std::vector<pid_t> parseProcs(std::string_view text);

// Detects the host's layout: v2 when /sys/fs/cgroup is cgroup2, v1 when the memory, pids
// and cpu controllers are mounted under it. Says what is missing otherwise.
Result<CgroupVersion> detectCgroupVersion(const std::filesystem::path& root = "/sys/fs/cgroup");

// Reads a cgroup's memory accounting by path: safe to keep after the cgroup is gone (it
// then reads zeros), so completions on another thread never touch a destroyed Cgroup.
struct MemoryReader {
  CgroupVersion version = CgroupVersion::v1;
  std::filesystem::path dir;
  CgroupUsage usage() const;
};

// Open descriptors on the cgroup files a warm instance reads around every invocation. A
// kept descriptor read with pread at offset 0 regenerates the file: one system call instead
// of open, read and close each time (those file reads were a sixth of a warm call's host
// CPU). Like MemoryReader, safe after the cgroup is gone: reads then fail and give zeros.
class CgroupProbe {
 public:
  CgroupProbe() = default;
  // On any cgroup, ours or another's (a container's): the memory controller's folder and
  // the pids controller's (the same folder on v2).
  static CgroupProbe open(CgroupVersion version, const std::filesystem::path& memoryDir,
                          const std::filesystem::path& pidsDir);
  CgroupUsage usage() const;
  int64_t oomKills() const;
  // Starts the peak over (an instance's peak is per invocation, not per lifetime); a
  // no-op where the kernel cannot (v2 before 6.12).
  void resetPeak() const;
  // Tasks (threads, not processes) in the cgroup, from pids.current; nullopt when it
  // cannot be read. Unlike cgroup.procs, which v1 caches per open file for about a second,
  // it is always current.
  std::optional<int64_t> tasks() const;

 private:
  friend class Cgroup;
  CgroupVersion version_ = CgroupVersion::v1;
  UniqueFd peak_, oom_, tasks_;
};

// memory.usage_in_bytes (v1) or memory.current (v2) of a memory cgroup folder; 0 if unread.
int64_t memoryCurrentBytes(CgroupVersion version, const std::filesystem::path& memoryDir);

// The processes listed in a cgroup folder's cgroup.procs, read afresh.
std::size_t countProcesses(const std::filesystem::path& dir);

// Whether an instance left processes behind after an invocation, cheaply: the task count
// (one read through the probe) unchanged since processes were last counted and found
// idle says nothing new started; otherwise the processes are counted afresh. A thread
// ending just as a process starts would hide it: this is hygiene within one function's
// instance, not a security boundary.
class LeftoverCheck {
 public:
  LeftoverCheck(CgroupProbe probe, std::filesystem::path procsDir, std::size_t idleProcesses)
      : probe_(std::move(probe)), procsDir_(std::move(procsDir)), idleProcesses_(idleProcesses) {}
  bool idle();

 private:
  CgroupProbe probe_;
  std::filesystem::path procsDir_;
  std::size_t idleProcesses_;
  int64_t idleTasks_ = -1;
};

// One run's cgroup(s). Created with limits; removes itself (killing anything left) on
// destruction.
class Cgroup {
 public:
  static Result<Cgroup> create(CgroupVersion version, const std::string& parent,
                               const std::string& name, const CgroupLimits& limits,
                               const std::filesystem::path& root = "/sys/fs/cgroup");
  Cgroup(Cgroup&&) noexcept;
  Cgroup& operator=(Cgroup&&) = delete;
  Cgroup(const Cgroup&) = delete;
  ~Cgroup();

  Status addProcess(pid_t pid) const;
  CgroupUsage usage() const;
  MemoryReader memoryReader() const { return {version_, memoryDir()}; }
  std::filesystem::path memoryDir() const;  // also where cgroup.procs is read
  CgroupProbe probe() const;
  // A ready sandbox is made before anyone knows whose function it will run: its memory
  // limit is set when it is taken. Fails (EBUSY on v1) if it already uses more.
  Status setMemoryLimit(int64_t bytes) const;
  // cpu.weight (v2) or cpu.shares (v1, scaled: 100 is 1024).
  Status setCpuWeight(int weight) const;
  int64_t memoryCurrentBytes() const;
  // Processes in it: how an instance shows that something outlived its invocation.
  std::size_t processCount() const;
  void killAll() const;  // SIGKILL every process still in the cgroup
  // Removes the directories; waits briefly for dying processes to leave.
  void remove();

  // Removes cgroups a crashed earlier server left under `parent`.
  static void removeStale(CgroupVersion version, const std::string& parent,
                          const std::filesystem::path& root = "/sys/fs/cgroup");

 private:
  Cgroup(CgroupVersion version, std::vector<std::filesystem::path> dirs)
      : version_(version), dirs_(std::move(dirs)) {}
  CgroupVersion version_;
  std::vector<std::filesystem::path> dirs_;  // v1: one per controller; v2: one
};

}  // namespace stratus::exec::sandbox
