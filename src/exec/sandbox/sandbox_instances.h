// Long-lived sandbox instances (exec/instance.h): the sandbox of sandbox_executor.h, kept
// running with a runtime bootstrap inside that the host drives through the Runtime API,
// served on this factory's event loop from a socket in the sandbox's network namespace.
//
// Cold starts are cut twice over. A few sandboxes per runtime are made ahead of time,
// before anyone knows whose function they will run: namespaces, cgroup, id maps, root,
// listener and the interpreter itself, already started and waiting on descriptor 3 for
// what to become. Taking one costs a mount of the code, a cgroup write and a few bytes
// down a pipe; the interpreter's start-up has been paid (for Python, the bootstrap has
// imported everything it needs: the ready sandbox is the zygote). Every instance, ready or
// not, gets its code the same way: mounted by the host into its mount namespace.
#pragma once

#include "exec/instance.h"
#include "exec/sandbox/sandbox_executor.h"

namespace stratus::exec::sandbox {

struct InstanceOptions {
  SandboxOptions sandbox;
  // Ready, unspecialised sandboxes kept per built-in runtime; 0 turns the pool off.
  int readyPerRuntime = 2;
  // Where the bootstraps are written (root-owned, bound read-only at /opt/stratus).
  std::filesystem::path runtimeDir = "/run/stratus-sandbox-runtimes";
};

Result<std::unique_ptr<InstanceFactory>> makeSandboxInstances(InstanceOptions options);

}  // namespace stratus::exec::sandbox
