#include "app/scratch_root.h"

#include <ftw.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace stratus::app {
namespace {

std::string unescapeMountPath(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size()) {
      const std::string_view digits = text.substr(i + 1, 3);
      if (digits.size() == 3 &&
          std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '7'; })) {
        out.push_back(
            static_cast<char>((digits[0] - '0') * 64 + (digits[1] - '0') * 8 + (digits[2] - '0')));
        i += 3;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

// nftw has no user pointer: the count of failures goes through a file-level counter,
// which is fine for a CLI that removes one tree at a time.
std::atomic<int> removeFailures{0};

int removeEntry(const char* path, const struct stat*, int type, FTW*) {
  const int result = type == FTW_DP ? ::rmdir(path) : ::unlink(path);
  if (result != 0 && errno != ENOENT) ++removeFailures;
  return 0;  // keep going: remove as much as can be
}

}  // namespace

std::vector<std::string> mountPointsUnder(std::string_view mountinfo, const std::string& folder) {
  std::vector<std::string> found;
  std::istringstream in{std::string(mountinfo)};
  std::string line;
  while (std::getline(in, line)) {
    // id parent major:minor root mount-point options ...
    std::istringstream fields(line);
    std::string id, parent, device, root, mountPoint;
    if (!(fields >> id >> parent >> device >> root >> mountPoint)) continue;
    std::string path = unescapeMountPath(mountPoint);
    if (path == folder || path.starts_with(folder + "/")) found.push_back(std::move(path));
  }
  std::sort(found.begin(), found.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a > b;
  });
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

Result<ScratchRoot> ScratchRoot::create(const std::filesystem::path& parent,
                                        const std::string& stem) {
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  std::string pattern = (parent / (stem + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr)
    return sysError("create a folder in " + parent.string(), errno);
  ScratchRoot scratch{std::filesystem::path(pattern)};
  if (::mkdir(scratch.root().c_str(), 0755) != 0 || ::chmod(scratch.root().c_str(), 0755) != 0) {
    return sysError("create " + scratch.root().string(), errno);
  }
  return scratch;
}

ScratchRoot::ScratchRoot(ScratchRoot&& other) noexcept : folder_(std::move(other.folder_)) {
  other.folder_.clear();
}

ScratchRoot::~ScratchRoot() {
  if (auto removed = remove(); !removed)
    std::fprintf(stderr, "stratus: %s\n", removed.error().message.c_str());
}

Status ScratchRoot::remove() {
  if (folder_.empty()) return {};
  std::ifstream in("/proc/self/mountinfo");
  std::stringstream mountinfo;
  mountinfo << in.rdbuf();
  std::vector<std::string> stuck;
  for (const auto& mountPoint : mountPointsUnder(mountinfo.str(), folder_.string())) {
    // Lazy: a process still using it (a killed debootstrap's child) does not block this.
    if (::umount2(mountPoint.c_str(), MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT) {
      stuck.push_back(mountPoint);
    }
  }
  if (!stuck.empty()) {
    // Deleting now could reach into the mounted file system: leave it all for a human.
    std::string names;
    for (const auto& mountPoint : stuck) names += " " + mountPoint;
    return fail(ErrorKind::internal, "scratch_left_behind",
                "left " + folder_.string() + " in place: could not unmount" + names);
  }
  removeFailures = 0;
  ::nftw(folder_.c_str(), removeEntry, 64, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
  std::error_code ec;
  const bool gone = !std::filesystem::exists(folder_, ec);
  const std::string folder = folder_.string();
  if (gone) folder_.clear();
  if (!gone) {
    return fail(ErrorKind::internal, "scratch_left_behind",
                "could not delete all of " + folder + " (" + std::to_string(removeFailures.load()) +
                    " entries refused)");
  }
  return {};
}

}  // namespace stratus::app
