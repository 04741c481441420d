// Warm containers as instances (exec/instance.h), for the docker executor: one container
// per instance, running the same bootstrap as the sandbox, driven through the Runtime API
// over a listener the host makes inside the container's own network namespace
// (NetworkMode none: no published port, no network at all). The container is locked down
// as exec/docker/container_spec.h says; its output reaches the host through FIFOs bound
// read-only into it, so each invocation's logs are captured exactly as in the sandbox.
//
// Every container is labelled with its server's name: a server that starts removes the
// containers an earlier run of itself left behind (after a crash or SIGKILL), and never
// another server's.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "docker/docker_client.h"
#include "docker/runtime_images.h"
#include "exec/docker/container_spec.h"
#include "exec/instance.h"

namespace stratus::exec::docker {

struct DockerInstanceOptions {
  std::string node;                  // this server's name (labels, container names)
  std::filesystem::path stateDir;    // per-instance FIFO folders
  std::filesystem::path runtimeDir;  // the bootstraps, bound read-only at /opt/stratus
  ::stratus::docker::RuntimeImages images;  // the operator's images per runtime
  ContainerLimits limits;
};

// Fails (docker_unavailable) when the daemon does not answer; removes this node's
// leftover containers before returning.
Result<std::unique_ptr<InstanceFactory>> makeDockerInstances(::stratus::docker::DockerClient client,
                                                             DockerInstanceOptions options);

}  // namespace stratus::exec::docker
