#include "blob/local/local_blob_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <system_error>

#include "common/unique_fd.h"

namespace stratus::blob {

namespace {

// Error messages name the operation, never the path (paths stay out of API responses);
// the key goes into the context chain for the log.
std::unexpected<Error> ioError(const char* what, int err, std::string_view key) {
  auto error = sysError(what, err);
  error.error().addContext("blob " + std::string(key));
  return error;
}

Status fsyncDirectory(const std::filesystem::path& directory) {
  UniqueFd fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return sysError("open blob folder", errno);
  if (::fsync(fd.get()) != 0) return sysError("fsync blob folder", errno);
  return {};
}

// Creates root/relative one segment at a time, fsyncing the parent of each new folder so
// the new blob's path survives a crash along with the blob.
Status createFolders(const std::filesystem::path& root, const std::filesystem::path& relative) {
  std::filesystem::path current = root;
  for (const auto& segment : relative) {
    const std::filesystem::path parent = current;
    current /= segment;
    if (::mkdir(current.c_str(), 0755) == 0) {
      if (auto synced = fsyncDirectory(parent); !synced) return synced;
      continue;
    }
    if (errno != EEXIST) return sysError("create blob folder", errno);
    struct stat info {};
    if (::lstat(current.c_str(), &info) != 0) return sysError("inspect blob folder", errno);
    if (!S_ISDIR(info.st_mode)) {
      return fail(ErrorKind::conflict, "blob_key_conflict",
                  "a blob key cannot extend another blob's key");
    }
  }
  return {};
}

Status writeAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return sysError("write blob", errno);
    }
    data.remove_prefix(static_cast<std::size_t>(written));
  }
  return {};
}

// Removes the temporary file unless it was renamed into place.
struct TemporaryFile {
  std::string path;
  bool renamed = false;
  ~TemporaryFile() {
    if (!renamed && !path.empty()) ::unlink(path.c_str());
  }
};

}  // namespace

Status LocalBlobStore::put(std::string_view key, std::string_view data) {
  if (auto valid = validateKey(key); !valid) return valid;
  const std::filesystem::path relative(key);
  const std::filesystem::path target = root_ / relative;
  const std::filesystem::path folder = target.parent_path();
  if (auto created = createFolders(root_, relative.parent_path()); !created) {
    return propagate(std::move(created.error()), "blob " + std::string(key));
  }

  // '~' cannot appear in a key, so a temporary file never collides with or lists as a blob.
  TemporaryFile temporary{(target.string() + ".~tmp.XXXXXX")};
  UniqueFd fd(::mkostemp(temporary.path.data(), O_CLOEXEC));
  if (!fd.valid()) {
    temporary.path.clear();
    return ioError("create temporary blob file", errno, key);
  }
  if (auto written = writeAll(fd.get(), data); !written) {
    return propagate(std::move(written.error()), "blob " + std::string(key));
  }
  if (::fsync(fd.get()) != 0) return ioError("fsync blob", errno, key);
  if (::close(fd.release()) != 0) return ioError("close blob", errno, key);
  if (::rename(temporary.path.c_str(), target.c_str()) != 0) {
    if (errno == EISDIR || errno == ENOTEMPTY || errno == EEXIST) {
      return fail(ErrorKind::conflict, "blob_key_conflict",
                  "a blob key cannot be the folder of other blobs");
    }
    return ioError("rename blob into place", errno, key);
  }
  temporary.renamed = true;
  if (auto synced = fsyncDirectory(folder); !synced) {
    return propagate(std::move(synced.error()), "blob " + std::string(key));
  }
  return {};
}

Result<std::string> LocalBlobStore::get(std::string_view key) {
  if (auto valid = validateKey(key); !valid) return std::unexpected(std::move(valid.error()));
  const std::filesystem::path target = root_ / std::filesystem::path(key);
  // O_NOFOLLOW: keys cannot traverse, and nothing in the store is a link we made.
  UniqueFd fd(::open(target.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd.valid()) {
    if (errno == ENOENT || errno == ENOTDIR) {
      return fail(ErrorKind::not_found, "blob_not_found", "no such blob");
    }
    return ioError("open blob", errno, key);
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return ioError("inspect blob", errno, key);
  if (!S_ISREG(info.st_mode)) return fail(ErrorKind::not_found, "blob_not_found", "no such blob");

  std::string data;
  data.reserve(static_cast<std::size_t>(info.st_size));
  char buffer[64 * 1024];
  while (true) {
    const ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      return ioError("read blob", errno, key);
    }
    if (got == 0) break;
    data.append(buffer, static_cast<std::size_t>(got));
  }
  return data;
}

Status LocalBlobStore::remove(std::string_view key) {
  if (auto valid = validateKey(key); !valid) return valid;
  const std::filesystem::path target = root_ / std::filesystem::path(key);
  if (::unlink(target.c_str()) != 0) {
    // A folder (a prefix of other keys) is not a blob, so it is absent too. Empty folders
    // are left in place: pruning them would race with a put creating a file inside.
    if (errno == ENOENT || errno == ENOTDIR || errno == EISDIR) return {};
    return ioError("remove blob", errno, key);
  }
  return {};
}

Result<bool> LocalBlobStore::exists(std::string_view key) {
  if (auto valid = validateKey(key); !valid) return std::unexpected(std::move(valid.error()));
  const std::filesystem::path target = root_ / std::filesystem::path(key);
  struct stat info {};
  if (::lstat(target.c_str(), &info) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return false;
    return ioError("inspect blob", errno, key);
  }
  return S_ISREG(info.st_mode);
}

Result<std::vector<std::string>> LocalBlobStore::list(std::string_view prefix) {
  if (auto valid = validateListPrefix(prefix); !valid) {
    return std::unexpected(std::move(valid.error()));
  }
  // Walk only the deepest folder the prefix names in full.
  const std::size_t lastSlash = prefix.rfind('/');
  const std::filesystem::path start =
      lastSlash == std::string_view::npos
          ? root_
          : root_ / std::filesystem::path(prefix.substr(0, lastSlash));
  std::vector<std::string> keys;
  std::error_code ec;
  struct stat startInfo {};
  if (::lstat(start.c_str(), &startInfo) != 0 || !S_ISDIR(startInfo.st_mode)) return keys;

  std::filesystem::recursive_directory_iterator it(start, ec), end;
  if (ec) return sysError("list blobs", ec.value());
  for (; it != end; it.increment(ec)) {
    if (ec) return sysError("list blobs", ec.value());
    std::error_code statusError;
    // A temporary file may vanish between readdir and lstat; skip whatever cannot be read.
    const auto status = it->symlink_status(statusError);
    if (statusError || !std::filesystem::is_regular_file(status)) continue;
    std::string key = it->path().lexically_relative(root_).generic_string();
    if (!key.starts_with(prefix) || !validateKey(key)) continue;
    keys.push_back(std::move(key));
  }
  if (ec) return sysError("list blobs", ec.value());
  std::sort(keys.begin(), keys.end());
  return keys;
}

Result<BlobStorePtr> openLocalBlobStore(std::filesystem::path root) {
  std::error_code ec;
  std::filesystem::create_directories(root, ec);
  if (ec) return propagate(sysError("create blob root", ec.value()).error(), root.string());
  root = std::filesystem::absolute(root, ec);
  if (ec) return propagate(sysError("resolve blob root", ec.value()).error(), root.string());
  if (!std::filesystem::is_directory(root, ec)) {
    return fail(ErrorKind::internal, "invalid_blob_root", "the blob root is not a folder");
  }
  return std::make_unique<LocalBlobStore>(std::move(root));
}

}  // namespace stratus::blob
