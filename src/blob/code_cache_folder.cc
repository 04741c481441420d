#include "blob/code_cache_folder.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

#include "common/log.h"

namespace stratus::blob {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTemporaryPrefix = ".~";
constexpr std::string_view kLockName = ".lock";

std::unexpected<Error> invalidFolder(const fs::path& path, std::string why) {
  Error error{ErrorKind::internal,
              "code_folder_invalid",
              "a cached code folder is not as it was unpacked",
              {}};
  error.addContext(path.string() + " " + std::move(why));
  return std::unexpected(std::move(error));
}

std::unexpected<Error> hostError(std::string what, int err, const fs::path& path) {
  return propagate(sysError(std::move(what), err).error(), path.string());
}

// unpackZip makes files 0644 and folders 0755 whatever the zip says; special bits or a mode
// others can write mean someone else made or changed the entry.
bool modeAsUnpacked(mode_t mode) {
  return (mode & (S_ISUID | S_ISGID | S_ISVTX | S_IWGRP | S_IWOTH)) == 0;
}

// Running totals of one folder walk, checked against the package limits as they grow so a
// huge planted tree is refused without being walked to the end.
class FolderMeasure {
 public:
  explicit FolderMeasure(const PackageLimits& limits) : limits_(limits) {}

  Status add(const fs::path& path) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) return hostError("inspect cached code", errno, path);
    if (!S_ISDIR(info.st_mode) && !S_ISREG(info.st_mode)) {
      return invalidFolder(path, "is not a plain file or folder");
    }
    if (!modeAsUnpacked(info.st_mode)) {
      return invalidFolder(path, "has a mode unpacking never sets");
    }
    if (S_ISDIR(info.st_mode)) return {};
    // A hard link would let a write elsewhere change code an instance is about to run.
    if (info.st_nlink != 1) return invalidFolder(path, "is hard-linked");
    bytes_ += static_cast<std::uint64_t>(info.st_size);
    if (++files_ > limits_.maxEntries || bytes_ > limits_.maxUnpackedBytes) {
      return invalidFolder(path, "takes the folder past the package limits");
    }
    return {};
  }

  std::uint64_t bytes() const { return bytes_; }

 private:
  const PackageLimits& limits_;
  std::uint64_t bytes_ = 0;
  std::size_t files_ = 0;
};

// A complete version as found at start-up, or why it cannot be trusted.
Result<CachedVersion> inspectVersion(const fs::path& folder, const PackageLimits& limits) {
  auto bytes = measureCodeFolder(folder, limits);
  if (!bytes) return std::unexpected(std::move(bytes.error()));
  std::error_code ec;
  auto lastUse = fs::last_write_time(folder, ec);
  if (ec) return hostError("read cached code time", ec.value(), folder);
  return CachedVersion{folder.filename().string(), *bytes, lastUse};
}

}  // namespace

bool isSha256Hex(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<std::uint64_t> measureCodeFolder(const fs::path& folder, const PackageLimits& limits) {
  struct stat info {};
  if (::lstat(folder.c_str(), &info) != 0) return hostError("inspect cached code", errno, folder);
  if (!S_ISDIR(info.st_mode)) return invalidFolder(folder, "is not a folder");
  FolderMeasure measure(limits);
  if (auto added = measure.add(folder); !added) return std::unexpected(std::move(added.error()));
  // The default options do not follow symbolic links: add() sees and refuses them.
  std::error_code ec;
  fs::recursive_directory_iterator walk(folder, fs::directory_options::none, ec);
  for (; !ec && walk != fs::recursive_directory_iterator(); walk.increment(ec)) {
    if (auto added = measure.add(walk->path()); !added) {
      return std::unexpected(std::move(added.error()));
    }
  }
  if (ec) return hostError("read cached code", ec.value(), folder);
  return measure.bytes();
}

Result<fs::path> moveAside(const fs::path& path) {
  // mkdtemp reserves a name nobody else holds; rename(2) may replace an empty folder, so
  // the rename takes that name and discards the placeholder in one step.
  std::string aside =
      (path.parent_path() / (".~remove." + path.filename().string() + ".XXXXXX")).string();
  if (::mkdtemp(aside.data()) == nullptr) return hostError("reserve a removal name", errno, path);
  if (::rename(path.c_str(), aside.c_str()) != 0) {
    const int err = errno;
    ::rmdir(aside.c_str());
    return hostError("move cached code aside", err, path);
  }
  return fs::path(aside);
}

Status discard(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_directory(fs::symlink_status(path, ec))) {
    fs::remove(path, ec);
    if (ec) return hostError("remove cached code", ec.value(), path);
    return {};
  }
  auto aside = moveAside(path);
  if (!aside) return std::unexpected(std::move(aside.error()));
  removeQuietly(*aside);
  return {};
}

void removeQuietly(const fs::path& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  if (ec) {
    log::warn("code cache: cannot remove", {{"path", path.string()}, {"error", ec.message()}});
  }
}

void markUsed(const fs::path& folder) {
  // Best effort: a failure only makes the order after a restart less exact.
  (void)::utimensat(AT_FDCWD, folder.c_str(), nullptr, AT_SYMLINK_NOFOLLOW);
}

Result<UniqueFd> lockCacheFolder(const fs::path& root) {
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec) return hostError("create code cache folder", ec.value(), root);
  const fs::path lockPath = root / kLockName;
  UniqueFd lock(::open(lockPath.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!lock.valid()) return hostError("open code cache lock", errno, lockPath);
  if (::flock(lock.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) return hostError("lock code cache", errno, lockPath);
    Error error{ErrorKind::unavailable,
                "code_cache_in_use",
                "another process is using the code cache folder",
                {}};
    error.addContext(root.string());
    return std::unexpected(std::move(error));
  }
  return lock;
}

Result<std::vector<CachedVersion>> scanCacheFolder(const fs::path& root,
                                                   const PackageLimits& limits) {
  // Listed before anything is moved aside: renaming while iterating may show a name twice.
  std::vector<fs::path> names;
  std::error_code ec;
  for (fs::directory_iterator it(root, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    names.push_back(it->path());
  }
  if (ec) return hostError("read code cache folder", ec.value(), root);

  std::vector<CachedVersion> versions;
  for (const fs::path& path : names) {
    const std::string name = path.filename().string();
    if (name.starts_with(kTemporaryPrefix)) {
      removeQuietly(path);
    } else if (name == kLockName) {
      continue;
    } else if (!isSha256Hex(name)) {
      log::warn("code cache: leaving alone a file that is not a code version",
                {{"path", path.string()}});
    } else if (auto version = inspectVersion(path, limits); version) {
      versions.push_back(std::move(*version));
    } else {
      log::warn("code cache: removing a damaged code version",
                {{"error", version.error().describe()}});
      if (auto discarded = discard(path); !discarded) {
        log::warn("code cache: cannot remove a damaged code version",
                  {{"error", discarded.error().describe()}});
      }
    }
  }
  std::sort(versions.begin(), versions.end(), [](const auto& a, const auto& b) {
    return std::tie(a.lastUse, a.sha256) < std::tie(b.lastUse, b.sha256);
  });
  return versions;
}

}  // namespace stratus::blob
