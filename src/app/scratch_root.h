// A scratch folder to build a root file system in, removed with everything in it when its
// owner goes — on success, error or Ctrl-C alike (STYLE §4). Removal never leaves the
// folder's own file system: debootstrap mounts /proc and /sys (and may bind the host's
// /dev) inside the new root, and a recursive delete that followed one of those would
// delete the host's. Mounts found under the folder are detached first, and the walk
// does not cross into any that remain.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace stratus::app {

class ScratchRoot {
 public:
  // A private folder (0700) under `parent`, named stem-XXXXXX, holding `root()` (0755: the
  // image's / must be enterable by every user a container runs as).
  static Result<ScratchRoot> create(const std::filesystem::path& parent, const std::string& stem);

  ScratchRoot(ScratchRoot&& other) noexcept;
  ScratchRoot& operator=(ScratchRoot&&) = delete;
  ScratchRoot(const ScratchRoot&) = delete;
  ScratchRoot& operator=(const ScratchRoot&) = delete;
  ~ScratchRoot();

  std::filesystem::path root() const { return folder_ / "root"; }
  const std::filesystem::path& folder() const { return folder_; }
  // Detaches the mounts under the folder and deletes it. Fails (code scratch_left_behind)
  // naming what is left. Idempotent; the destructor calls it.
  Status remove();

 private:
  explicit ScratchRoot(std::filesystem::path folder) : folder_(std::move(folder)) {}
  std::filesystem::path folder_;  // empty once removed or moved from
};

// The mount points at or under `folder` in /proc/self/mountinfo's text, deepest first
// (the order to unmount them in). Paths come unescaped (\040 is a space).
std::vector<std::string> mountPointsUnder(std::string_view mountinfo, const std::string& folder);

}  // namespace stratus::app
