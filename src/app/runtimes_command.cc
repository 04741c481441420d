#include "app/runtimes_command.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>

#include "app/apt_sources.h"
#include "app/child_process.h"
#include "app/runtime_image_build.h"
#include "common/crypto.h"
#include "docker/docker_client.h"
#include "docker/runtime_images.h"

namespace stratus::app {
namespace {

using docker::RuntimeRecipe;

std::atomic<bool> interruptRequested{false};

void onInterrupt(int) { interruptRequested.store(true); }

// While a build runs, Ctrl-C, SIGTERM and SIGHUP ask it to stop rather than end the
// process on the spot: the scratch root (and any mount debootstrap left in it) is then
// cleaned up on the way out. The previous handlers come back when the build is done.
class InterruptScope {
 public:
  InterruptScope() {
    interruptRequested = false;
    struct sigaction action {};
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    for (std::size_t i = 0; i < std::size(kSignals); ++i)
      ::sigaction(kSignals[i], &action, &previous_[i]);
  }
  ~InterruptScope() {
    for (std::size_t i = 0; i < std::size(kSignals); ++i)
      ::sigaction(kSignals[i], &previous_[i], nullptr);
  }
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

 private:
  static constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
  struct sigaction previous_[std::size(kSignals)];
};

std::string megabytes(int64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return text;
}

struct BuildSettings {
  std::vector<std::string> runtimes;
  bool force = false;
  std::string mirror;
  std::string workDir = "/var/tmp";
};

Result<std::vector<const RuntimeRecipe*>> chosenRecipes(const std::vector<std::string>& names) {
  std::vector<const RuntimeRecipe*> recipes;
  if (names.empty()) {
    for (const auto& recipe : docker::runtimeRecipes()) recipes.push_back(&recipe);
    return recipes;
  }
  for (const auto& name : names) {
    const RuntimeRecipe* recipe = docker::findRecipe(name);
    if (recipe == nullptr) {
      std::string known;
      for (const auto& r : docker::runtimeRecipes()) known += (known.empty() ? "" : ", ") + r.name;
      return invalid("unknown_runtime",
                     "no runtime image named " + name + " (there are: " + known + ")");
    }
    if (std::find(recipes.begin(), recipes.end(), recipe) == recipes.end())
      recipes.push_back(recipe);
  }
  return recipes;
}

// The things a build needs that are not the daemon: checked before minutes are spent.
Status checkBuildHost(BuildSettings& settings) {
  if (::geteuid() != 0) {
    return fail(ErrorKind::forbidden, "needs_root",
                "must run as root: debootstrap creates device files and sets file owners in the "
                "new root (run it with sudo)");
  }
  if (ChildProcess::findProgram("debootstrap").empty()) {
    return fail(
        ErrorKind::unavailable, "program_missing",
        "debootstrap is not installed: apt-get install debootstrap (scripts/install-deps.sh "
        "installs it)");
  }
  if (settings.mirror.empty()) {
    if (const char* mirror = std::getenv("STRATUS_DEBIAN_MIRROR"); mirror && *mirror) {
      settings.mirror = mirror;
    }
  }
  if (settings.mirror.empty()) {
    auto mirror = findDebianMirror(docker::runtimeRecipes().front().suite);
    if (!mirror) return std::unexpected(std::move(mirror.error()));
    settings.mirror = *mirror;
  }
  return {};
}

int build(BuildSettings settings) {
  initCrypto();
  auto recipes = chosenRecipes(settings.runtimes);
  if (!recipes) {
    std::cerr << "stratus runtimes build: " << recipes.error().message << "\n";
    return 2;
  }
  auto client = docker::DockerClient::connectFromEnvironment();
  if (!client) {
    std::cerr << "stratus runtimes build: " << client.error().message << "\n";
    return 1;
  }
  InterruptScope interrupts;
  ImageBuildOptions options;
  options.workDir = settings.workDir;
  options.interrupted = &interruptRequested;
  const bool terminal = ::isatty(STDOUT_FILENO) == 1;
  bool hostChecked = false;
  int exitCode = 0;
  for (const RuntimeRecipe* recipe : *recipes) {
    if (!settings.force) {
      auto current = findCurrentImage(*client, *recipe);
      if (!current) {
        std::cerr << "stratus runtimes build: " << current.error().message << "\n";
        return 1;
      }
      if (*current) {
        std::cout << recipe->name << ": " << recipe->repository << " is current (recipe "
                  << docker::recipeHash(*recipe) << ", " << (*current)->runtimeVersion << ", "
                  << megabytes((*current)->sizeBytes) << "); skipped, --force rebuilds it\n";
        continue;
      }
    }
    // Only a build needs root, debootstrap and a mirror: with every image current, none do.
    if (!hostChecked) {
      if (auto ready = checkBuildHost(settings); !ready) {
        std::cerr << "stratus runtimes build: " << ready.error().message << "\n";
        return 1;
      }
      options.mirror = settings.mirror;
      hostChecked = true;
    }
    BuildProgress progress(std::cout, terminal, recipe->name);
    auto built = buildRuntimeImage(*client, *recipe, options, progress);
    if (!built) {
      progress.note("failed (see below)");
      std::cerr << "stratus runtimes build: " << recipe->name << ": " << built.error().describe()
                << "\n";
      exitCode = 1;
      if (interruptRequested) {
        exitCode = 130;  // as a shell reports a Ctrl-C
        break;
      }
      continue;
    }
    char seconds[96];
    std::snprintf(seconds, sizeof seconds, "%.0f s (debootstrap %.0f s, import %.0f s)",
                  built->seconds, built->debootstrapSeconds, built->importSeconds);
    std::cout << recipe->name << ": built " << recipe->repository << " ("
              << built->imageId.substr(0, 19) << ", " << built->runtimeVersion << ", "
              << megabytes(built->sizeBytes) << ") in " << seconds << "\n";
  }
  return exitCode;
}

int list() {
  initCrypto();
  auto client = docker::DockerClient::connectFromEnvironment();
  if (!client) {
    std::cerr << "stratus runtimes ls: " << client.error().message << "\n";
    return 1;
  }
  int exitCode = 0;
  for (const auto& recipe : docker::runtimeRecipes()) {
    std::cout << recipe.name << "\t" << recipe.repository << "\t";
    auto image = client->inspectImage(recipe.repository + ":latest");
    if (!image) {
      if (image.error().code != "docker_image_missing") {
        std::cerr << "stratus runtimes ls: " << image.error().message << "\n";
        return 1;
      }
      std::cout << "missing (stratus runtimes build --runtime " << recipe.name << ")\n";
      exitCode = 1;
      continue;
    }
    auto version = image->labels.find(std::string(docker::kRuntimeVersionLabel));
    std::cout << (docker::isCurrentImage(image->labels, recipe) ? "current" : "stale (rebuild it)")
              << "\t" << image->id.substr(0, 19) << "\t" << megabytes(image->size) << "\t"
              << (version == image->labels.end() ? "" : version->second) << "\n";
  }
  return exitCode;
}

}  // namespace

void registerRuntimesCommands(CLI::App& app, int& exitCode) {
  auto* runtimes = app.add_subcommand("runtimes", "The Docker executor's runtime images");
  runtimes->require_subcommand(1);

  auto settings = std::make_shared<BuildSettings>();
  auto* buildCommand = runtimes->add_subcommand(
      "build", "Build the runtime images from Debian packages (as root; nothing is pulled)");
  buildCommand->add_option("--runtime", settings->runtimes,
                           "Only this runtime's image (python3.11 or nodejs; repeatable)");
  buildCommand->add_flag("--force", settings->force, "Rebuild images that are already current");
  buildCommand->add_option("--mirror", settings->mirror,
                           "Debian mirror URL (default: STRATUS_DEBIAN_MIRROR, else this "
                           "machine's apt sources)");
  buildCommand->add_option("--work-dir", settings->workDir,
                           "Where the temporary root file system is made (default /var/tmp; "
                           "not a noexec or nodev mount)");
  buildCommand->callback([settings, &exitCode] { exitCode = build(*settings); });

  auto* lsCommand =
      runtimes->add_subcommand("ls", "Show the runtime images and whether they are current");
  lsCommand->callback([&exitCode] { exitCode = list(); });
}

}  // namespace stratus::app
