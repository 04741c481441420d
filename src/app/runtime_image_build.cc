#include "app/runtime_image_build.h"

#include <glob.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>

#include "app/child_process.h"
#include "app/debootstrap_progress.h"
#include "app/scratch_root.h"

namespace stratus::app {
namespace {

namespace fs = std::filesystem;
using docker::RuntimeRecipe;

bool interrupted(const ImageBuildOptions& options) {
  return options.interrupted != nullptr && options.interrupted->load();
}

std::unexpected<Error> interruptedError() {
  return fail(ErrorKind::unavailable, "interrupted",
              "interrupted; nothing was imported and the temporary root is removed");
}

std::string joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// Follows debootstrap's output line by line, condensed (app/debootstrap_progress.h),
// until it ends or the build is interrupted (then its whole process group is stopped).
Status runDebootstrap(const RuntimeRecipe& recipe, const fs::path& root,
                      const ImageBuildOptions& options, BuildProgress& progress) {
  const std::vector<std::string> argv = {"debootstrap",
                                         "--variant=" + recipe.variant,
                                         "--include=" + joined(recipe.packages, ","),
                                         recipe.suite,
                                         root.string(),
                                         options.mirror};
  auto child = ChildProcess::spawn(argv, ChildProcess::Output::merged, true);
  if (!child) return std::unexpected(std::move(child.error()));
  DebootstrapProgress condensed;
  std::string pending;
  char buffer[8192];
  for (;;) {
    if (interrupted(options)) {
      child->signal(SIGTERM);
      (void)child->wait();
      return interruptedError();
    }
    pollfd ready{child->output(), POLLIN, 0};
    const int polled = ::poll(&ready, 1, 250);
    if (polled < 0 && errno != EINTR) return sysError("poll", errno);
    if (polled == 0) progress.tick();
    if (polled <= 0) continue;
    const ssize_t got = ::read(child->output(), buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    pending.append(buffer, static_cast<std::size_t>(got));
    std::size_t newline;
    while ((newline = pending.find('\n')) != std::string::npos) {
      const std::string line = pending.substr(0, newline);
      pending.erase(0, newline + 1);
      for (const auto& update : condensed.consume(line)) {
        if (update.kind == ProgressUpdate::Kind::note) {
          progress.note(update.text);
        } else {
          progress.status("debootstrap: " + update.text, update.kind == ProgressUpdate::Kind::line);
        }
      }
    }
  }
  auto status = child->wait();
  if (!status) return std::unexpected(std::move(status.error()));
  if (*status != 0) {
    std::string tail;
    for (const auto& line : condensed.recentLines()) tail += "\n    " + line;
    return fail(
        ErrorKind::internal, "debootstrap_failed",
        "debootstrap exited with status " + std::to_string(*status) + "; its last lines:" + tail);
  }
  return {};
}

// Deletes the recipe's trimmed paths, each only when it really lies inside the root: a
// symlink on the way (var/run -> /run) must not lead the delete onto the host.
Status trimRoot(const RuntimeRecipe& recipe, const fs::path& root) {
  const fs::path realRoot = fs::canonical(root);
  for (const auto& pattern : recipe.trimmed) {
    glob_t matches{};
    const std::string full = (root / pattern).string();
    if (::glob(full.c_str(), GLOB_NOSORT, nullptr, &matches) == 0) {
      for (std::size_t i = 0; i < matches.gl_pathc; ++i) {
        const fs::path match(matches.gl_pathv[i]);
        std::error_code ec;
        const fs::path parent = fs::canonical(match.parent_path(), ec);
        const auto [end, _] =
            std::mismatch(realRoot.begin(), realRoot.end(), parent.begin(), parent.end());
        if (ec || end != realRoot.end()) continue;
        fs::remove_all(parent / match.filename(), ec);
      }
    }
    ::globfree(&matches);
  }
  return {};
}

// Runs the runtime inside the new root: proves it starts, and names its version.
Result<std::string> runtimeVersion(const RuntimeRecipe& recipe, const fs::path& root) {
  std::vector<std::string> argv = {"chroot", root.string()};
  argv.insert(argv.end(), recipe.versionCommand.begin(), recipe.versionCommand.end());
  auto output = runToEnd(argv, 4096);
  if (!output) return propagate(std::move(output.error()), "run the runtime in the new root");
  std::string version = output->substr(0, output->find('\n'));
  while (!version.empty() && std::isspace(static_cast<unsigned char>(version.back())))
    version.pop_back();
  if (version.empty()) return internalError("the runtime printed no version");
  return version;
}

// The root as a tar stream (numeric owners: the image must not depend on this host's
// user names; one file system: nothing mounted inside goes in) into the Engine API.
Result<std::string> importRoot(docker::DockerClient& client, const RuntimeRecipe& recipe,
                               const fs::path& root, const std::string& version) {
  auto tar = ChildProcess::spawn(
      {"tar", "--numeric-owner", "--one-file-system", "-C", root.string(), "-c", "."},
      ChildProcess::Output::stdoutOnly, false);
  if (!tar) return std::unexpected(std::move(tar.error()));
  docker::ImageImport image;
  image.repository = recipe.repository;
  image.tag = "latest";
  image.labels = docker::recipeLabels(recipe);
  image.labels[std::string(docker::kRuntimeVersionLabel)] = version;
  auto imported = client.importImage(image, tar->output());
  tar->closeOutput();
  auto status = tar->wait();
  if (!imported) return imported;
  if (!status || *status != 0) return internalError("tar of the new root failed");
  return imported;
}

}  // namespace

Result<std::optional<ImageBuildResult>> findCurrentImage(docker::DockerClient& client,
                                                         const RuntimeRecipe& recipe) {
  auto existing = client.inspectImage(recipe.repository + ":latest");
  if (!existing) {
    if (existing.error().code == "docker_image_missing") return std::nullopt;
    return std::unexpected(std::move(existing.error()));
  }
  if (!docker::isCurrentImage(existing->labels, recipe)) return std::nullopt;
  ImageBuildResult result;
  result.skipped = true;
  result.imageId = existing->id;
  result.sizeBytes = existing->size;
  auto version = existing->labels.find(std::string(docker::kRuntimeVersionLabel));
  if (version != existing->labels.end()) result.runtimeVersion = version->second;
  return result;
}

Result<ImageBuildResult> buildRuntimeImage(docker::DockerClient& client,
                                           const RuntimeRecipe& recipe,
                                           const ImageBuildOptions& options,
                                           BuildProgress& progress) {
  using Clock = std::chrono::steady_clock;
  progress.begin();
  ImageBuildResult result;
  const std::string reference = recipe.repository + ":latest";
  // The image the tag points at now: removed once the new one has the tag.
  std::string previousId;
  if (auto existing = client.inspectImage(reference)) {
    previousId = existing->id;
  } else if (existing.error().code != "docker_image_missing") {
    return std::unexpected(std::move(existing.error()));
  }

  auto scratch = ScratchRoot::create(options.workDir, "stratus-rootfs-" + recipe.name);
  if (!scratch) return std::unexpected(std::move(scratch.error()));
  progress.phase("debootstrap " + recipe.suite + " (" + recipe.variant + ", " +
                 joined(recipe.packages, ", ") + ") from " + options.mirror + " into " +
                 scratch->root().string());
  auto started = Clock::now();
  if (auto ran = runDebootstrap(recipe, scratch->root(), options, progress); !ran) {
    return std::unexpected(std::move(ran.error()));
  }
  result.debootstrapSeconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (interrupted(options)) return interruptedError();

  progress.phase("trimming package caches and documentation");
  if (auto trimmed = trimRoot(recipe, scratch->root()); !trimmed) {
    return std::unexpected(std::move(trimmed.error()));
  }
  auto version = runtimeVersion(recipe, scratch->root());
  if (!version) return std::unexpected(std::move(version.error()));
  result.runtimeVersion = *version;
  progress.phase("runs: " + *version);
  if (interrupted(options)) return interruptedError();

  progress.phase("importing into Docker as " + reference);
  started = Clock::now();
  auto imported = importRoot(client, recipe, scratch->root(), *version);
  if (!imported) return propagate(std::move(imported.error()), "import " + reference);
  result.importSeconds = std::chrono::duration<double>(Clock::now() - started).count();
  result.imageId = *imported;
  if (auto removed = scratch->remove(); !removed)
    progress.note("warning: " + removed.error().message);

  if (auto built = client.inspectImage(reference)) result.sizeBytes = built->size;
  // The image the tag moved away from: removed unless a container still uses it.
  if (!previousId.empty() && previousId != result.imageId) {
    if (auto removed = client.removeImage(previousId); !removed) {
      progress.note("kept the previous image " + previousId.substr(0, 19) + ": " +
                    removed.error().message);
    }
  }
  result.seconds = progress.elapsed();
  return result;
}

}  // namespace stratus::app
