// The default executor: each run in fresh Linux namespaces, a cgroup, a read-only root,
// without capabilities and under a seccomp filter (docs/security.md, "The sandbox").
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "exec/executor.h"

namespace stratus::exec::sandbox {

struct SandboxOptions {
  std::string cgroupName = "stratus";        // parent cgroup under each controller / v2 root
  std::filesystem::path stateDir = "/run/stratus-sandbox/calls";  // per-run mount points
  std::size_t outputCapBytes = 1 << 20;     // per stream; the rest is drained and dropped
  int tmpfsSizeMb = 64;
  int pidsMax = 64;
  int cpuPercent = 100;  // 100 = one core
  uid_t uidBase = 200000;  // each run gets its own host uid/gid from this range
  int uidCount = 10000;
  // runtime -> interpreter argv prefix; the entry file and the arguments follow.
  std::map<std::string, std::vector<std::string>> runtimes;
};

std::map<std::string, std::vector<std::string>> defaultRuntimes();

// Checks the prerequisites (user namespaces, cgroups, the interpreters) and says exactly
// what is missing.
Result<ExecutorPtr> makeSandboxExecutor(SandboxOptions options);

}  // namespace stratus::exec::sandbox
