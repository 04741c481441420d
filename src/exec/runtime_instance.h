// An instance driven through the Runtime API, whatever isolates it (a sandbox, a
// container). The host serves the API on a listener inside the instance's network
// namespace, captures what the runtime writes per invocation, measures its memory from
// its cgroup and notices when it exits, all on the executor's event loop. What differs
// between executors — how to kill everything, whether anything was left behind, and the
// teardown itself — comes from the executor as an InstanceHost.
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/unique_fd.h"
#include "exec/instance.h"
#include "exec/sandbox/cgroup.h"

namespace stratus::exec {

class InstanceHost {
 public:
  virtual ~InstanceHost() = default;  // tears the isolation down; runs off the event loop
  // SIGKILL to every process of the instance, now; from any thread, more than once.
  virtual void killAll() = 0;
  // After an invocation: whether the instance is as it was before it (no process left
  // behind). Called only between invocations.
  virtual bool idle() = 0;
  virtual int64_t memoryBytes() = 0;
};

// The descriptors the event loop serves. stdout and stderr are read ends of whatever the
// runtime writes to (made non-blocking here); exitWatch turns readable when the runtime has
// exited (a pidfd); exitStatus, when valid, then holds its wait status as an int.
struct RuntimeChannels {
  UniqueFd listener;
  UniqueFd stdoutRead, stderrRead;
  UniqueFd exitWatch;
  UniqueFd exitStatus;
  sandbox::CgroupProbe cgroup;
  // Optional. exitReason, when set, explains the exit instead of exitStatus (a VM whose
  // qemu status must be decoded); it runs on the event loop once exitWatch fires.
  // logFilter rewrites each invocation's captured logs (a console that also carries a
  // kernel's lines).
  std::function<std::string()> exitReason;
  std::function<std::string(std::string_view)> logFilter;
};

InstancePtr makeRuntimeInstance(boost::asio::io_context& io, RuntimeChannels channels,
                                std::unique_ptr<InstanceHost> host);

// The built-in runtimes (their bootstraps are in exec/runtime_files.h).
bool isBuiltInRuntime(const std::string& runtime);
// How a runtime's bootstrap is started inside an instance.
std::vector<std::string> bootstrapArgv(const std::string& runtime);
// The variables every runtime gets, before its function's own (exec/instance_env.h).
std::vector<std::string> baseEnvironment();

}  // namespace stratus::exec
