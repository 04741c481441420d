// Building one runtime image (docker/runtime_images.h) on this machine: debootstrap a
// minimal Debian root with the runtime's packages, trim what no function reads, check
// the runtime starts, and import the root through the Engine API as a labelled image.
// Nothing is pulled; packages come from the machine's own Debian mirror.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "app/build_progress.h"
#include "common/error.h"
#include "docker/docker_client.h"
#include "docker/runtime_images.h"

namespace stratus::app {

struct ImageBuildOptions {
  std::string mirror;                          // a Debian mirror URL (app/apt_sources.h)
  std::filesystem::path workDir = "/var/tmp";  // where the scratch root goes (needs exec, dev)
  // Set from a signal handler: the build stops at the next chance and cleans up.
  const std::atomic<bool>* interrupted = nullptr;
};

struct ImageBuildResult {
  bool skipped = false;  // it was current already
  std::string imageId;
  std::string runtimeVersion;  // "Python 3.11.2"
  int64_t sizeBytes = 0;
  double seconds = 0;
  double debootstrapSeconds = 0, importSeconds = 0;
};

// The image built from this very recipe, when the daemon has it (a result marked
// skipped); nullopt when it has none or one from another recipe.
Result<std::optional<ImageBuildResult>> findCurrentImage(docker::DockerClient& client,
                                                         const docker::RuntimeRecipe& recipe);

// Builds the image whatever the daemon has, and moves the tag to it; the image the tag
// leaves is removed unless a container still uses it.
Result<ImageBuildResult> buildRuntimeImage(docker::DockerClient& client,
                                           const docker::RuntimeRecipe& recipe,
                                           const ImageBuildOptions& options,
                                           BuildProgress& progress);

}  // namespace stratus::app
