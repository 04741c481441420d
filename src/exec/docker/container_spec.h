// What a function's container is made of, decided without talking to Docker: pure, and
// unit-tested on literal specs (tests/unit/exec/docker).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "docker/types.h"
#include "exec/instance.h"
#include "exec/sandbox/cgroup.h"

namespace stratus::exec::docker {

// Labels on every container Stratus makes: the server that owns it (so a restarted server
// removes exactly its own leftovers), the function and the instance.
inline constexpr const char* kNodeLabel = "org.stratus.node";
inline constexpr const char* kFunctionLabel = "org.stratus.function";
inline constexpr const char* kInstanceLabel = "org.stratus.instance";

// Inside the container: where the host's FIFOs appear (the go signal, and the runtime's
// stdout and stderr), read-only like every other mount.
inline constexpr const char* kPipesDir = "/run/stratus";

struct ContainerLimits {
  std::string user = "65534:65534";  // nobody
  int64_t nanoCpus = 1'000'000'000;  // one CPU
  int pidsLimit = 64;
  int tmpfsSizeMb = 64;
};

struct ContainerPlan {
  std::string id;          // the instance id, also in the container's name and labels
  std::string node;        // the owning server's name
  std::string image;
  std::filesystem::path codeDir, runtimeDir, pipesDir;  // host folders, bound read-only
  ContainerLimits limits;
};

// The container of one instance of `spec`: no network, read-only root, tmpfs /tmp, every
// capability dropped, no-new-privileges, a non-root user, memory and swap both the
// function's memory, CPU and pids limits, docker-init as PID 1. Its command waits for the
// host's go (the Runtime API listener exists only once the container does) and then runs
// the runtime's bootstrap with its output on the host's FIFOs.
::stratus::docker::ContainerSpec containerSpecFor(const InstanceSpec& spec,
                                                  const ContainerPlan& plan);

// A process's cgroup folders from the text of /proc/PID/cgroup: v1's memory and pids
// controllers' lines, or v2's single "0::" line. nullopt when they are not there.
struct CgroupFolders {
  std::filesystem::path memory, pids;
};
std::optional<CgroupFolders> cgroupFoldersOf(std::string_view procCgroup,
                                            sandbox::CgroupVersion version,
                                            const std::filesystem::path& root = "/sys/fs/cgroup");

}  // namespace stratus::exec::docker
