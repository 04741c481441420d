#include "exec/docker/container_spec.h"

#include <vector>

#include "exec/instance_env.h"
#include "exec/runtime_instance.h"

namespace stratus::exec::docker {
namespace fs = std::filesystem;

::stratus::docker::ContainerSpec containerSpecFor(const InstanceSpec& spec,
                                                  const ContainerPlan& plan) {
  ::stratus::docker::ContainerSpec container;
  container.name = plan.node + "-" + plan.id;
  container.image = plan.image;
  // sh reads one line from the go FIFO, then becomes the bootstrap ("$0" "$@") with its
  // output on the host's FIFOs. Nothing of the function's runs before the go.
  const std::string pipes = kPipesDir;
  container.cmd = {"/bin/sh", "-c",
                   "read -r go < " + pipes + "/go && exec \"$0\" \"$@\" >" + pipes +
                       "/stdout 2>" + pipes + "/stderr"};
  for (auto& arg : bootstrapArgv(spec.runtime)) container.cmd.push_back(arg);
  for (const auto& variable : baseEnvironment()) {
    auto equals = variable.find('=');
    container.env[variable.substr(0, equals)] = variable.substr(equals + 1);
  }
  for (auto& [key, value] : functionEnvironment(spec)) container.env[key] = value;
  container.user = plan.limits.user;
  container.workingDir = "/var/task";
  container.labels = {{kNodeLabel, plan.node},
                      {kFunctionLabel, spec.functionId},
                      {kInstanceLabel, plan.id}};
  container.networkMode = "none";
  container.readonlyRootfs = true;
  container.tmpfs = {{"/tmp", "rw,nosuid,nodev,size=" + std::to_string(plan.limits.tmpfsSizeMb) + "m"}};
  container.binds = {{plan.codeDir.string(), "/var/task"},
                     {plan.runtimeDir.string(), "/opt/stratus"},
                     {plan.pipesDir.string(), pipes}};
  container.capDrop = {"ALL"};
  container.securityOpt = {"no-new-privileges"};
  int64_t memory = static_cast<int64_t>(spec.memoryMb) << 20;
  container.memoryBytes = memory;
  container.memorySwapBytes = memory;  // memory + swap = memory: no swap
  container.nanoCpus = plan.limits.nanoCpus;
  container.pidsLimit = plan.limits.pidsLimit;
  container.init = true;
  return container;
}

std::optional<CgroupFolders> cgroupFoldersOf(std::string_view procCgroup,
                                            sandbox::CgroupVersion version, const fs::path& root) {
  // Each line is "hierarchy-id:controllers:path".
  std::optional<fs::path> memory, pids;
  while (!procCgroup.empty()) {
    auto eol = procCgroup.find('\n');
    std::string_view line = procCgroup.substr(0, eol);
    procCgroup = eol == std::string_view::npos ? std::string_view() : procCgroup.substr(eol + 1);
    auto first = line.find(':');
    if (first == std::string_view::npos) continue;
    auto second = line.find(':', first + 1);
    if (second == std::string_view::npos) continue;
    std::string_view controllers = line.substr(first + 1, second - first - 1);
    std::string path(line.substr(second + 1));
    if (path.empty() || path.front() != '/' || path.find("..") != std::string::npos) continue;
    fs::path relative = fs::path(path).relative_path();
    if (version == sandbox::CgroupVersion::v2) {
      if (line.substr(0, first) == "0" && controllers.empty()) memory = pids = root / relative;
      continue;
    }
    // v1: a line may name several controllers ("cpu,cpuacct").
    for (std::string_view rest = controllers; !rest.empty();) {
      auto comma = rest.find(',');
      std::string_view controller = rest.substr(0, comma);
      if (controller == "memory") memory = root / "memory" / relative;
      if (controller == "pids") pids = root / "pids" / relative;
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  if (!memory || !pids) return std::nullopt;
  return CgroupFolders{*memory, *pids};
}

}  // namespace stratus::exec::docker
