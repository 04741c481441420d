// Warm Nanos VMs as instances (exec/instance.h), for the nanos executor. Each instance is
// one qemu process booting the function version's image (built once, then cached: see
// nanos/image_cache.h) with the function's memory. Inside, the runtime's bootstrap is the
// unikernel's one program and drives the Runtime API exactly as in a sandbox; it reaches
// the host through qemu's guest-forward rule, which ends at a unix socket in a folder only
// root and the VM's user can open. The VM's user network is restricted: nothing else is
// reachable from the guest.
//
// qemu runs as nobody, under its own seccomp sandbox, and dies with the server
// (PR_SET_PDEATHSIG). The serial console is the runtime's stdout and stderr together; the
// kernel's lines are taken out of each invocation's logs. When the runtime exits, qemu's
// isa-debug-exit status gives its exit code. A timeout kills the qemu process.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "exec/instance.h"
#include "nanos/install.h"

namespace stratus::exec::nanos {

struct NanosInstanceOptions {
  std::filesystem::path stateDir;    // per-instance folders, each holding its socket
  std::filesystem::path imageDir;    // the image cache
  std::filesystem::path runtimeDir;  // the bootstraps on the host, copied into each image
  ::stratus::nanos::NanosInstall install;
  std::size_t maxImages = 32;
};

// Fails (nanos_unavailable, naming what is missing) when Nanos cannot run here.
Result<std::unique_ptr<InstanceFactory>> makeNanosInstances(NanosInstanceOptions options);

}  // namespace stratus::exec::nanos
