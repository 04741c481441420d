#include "common/file_tree.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <memory>

#include "common/unique_fd.h"

namespace stratus {
namespace {

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};

UniqueFd openRoot(const std::filesystem::path& root) {
  return UniqueFd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
}

UniqueFd openBeneath(int parent, const std::string& name, int flags) {
  return UniqueFd(::openat(parent, name.c_str(), flags | O_NOFOLLOW | O_CLOEXEC));
}

Status walk(int folder, const std::string& prefix, int depth, const TreeOptions& options,
            TreeListing& listing) {
  // fdopendir takes the descriptor it is given: hand it a duplicate.
  UniqueFd copy(::fcntl(folder, F_DUPFD_CLOEXEC, 0));
  if (!copy.valid()) return sysError("read folder", errno);
  std::unique_ptr<DIR, DirCloser> dir(::fdopendir(copy.get()));
  if (!dir) return sysError("read folder", errno);
  copy.release();
  std::vector<std::string> names;
  while (dirent* entry = ::readdir(dir.get())) {
    std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    names.push_back(std::move(name));
  }
  for (const auto& name : names) {
    if (options.skipDotfiles && name.starts_with('.')) {
      ++listing.skipped;
      continue;
    }
    struct stat info {};
    if (::fstatat(folder, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) continue;  // removed while we looked
      return sysError("inspect " + prefix + name, errno);
    }
    if (S_ISDIR(info.st_mode)) {
      if (depth >= options.maxDepth) {
        ++listing.skipped;
        continue;
      }
      UniqueFd sub = openBeneath(folder, name, O_RDONLY | O_DIRECTORY);
      if (!sub.valid()) {  // swapped for a link meanwhile (ELOOP), or gone
        ++listing.skipped;
        continue;
      }
      if (auto ok = walk(sub.get(), prefix + name + "/", depth + 1, options, listing); !ok)
        return ok;
    } else if (S_ISREG(info.st_mode)) {
      if (listing.files.size() >= options.maxFiles)
        return fail(ErrorKind::invalid_argument, "tree_too_many_files",
                    "more than " + std::to_string(options.maxFiles) + " files");
      listing.files.push_back({prefix + name, static_cast<std::uint64_t>(info.st_size)});
    } else {
      ++listing.skipped;
    }
  }
  return {};
}

bool isPlainSegment(std::string_view segment) {
  return !segment.empty() && segment != "." && segment != ".." &&
         segment.find('\0') == std::string_view::npos;
}

}  // namespace

Result<TreeListing> listTree(const std::filesystem::path& root, const TreeOptions& options) {
  UniqueFd folder = openRoot(root);
  if (!folder.valid()) {
    if (errno == ENOENT) return fail(ErrorKind::not_found, "tree_unreadable", "no such folder");
    return sysError("open folder", errno);
  }
  TreeListing listing;
  if (auto ok = walk(folder.get(), "", 0, options, listing); !ok)
    return std::unexpected(std::move(ok.error()));
  std::ranges::sort(listing.files, {}, &TreeFile::path);
  return listing;
}

Result<FileSlice> readTreeFile(const std::filesystem::path& root, std::string_view relativePath,
                               std::uint64_t maxBytes) {
  auto notFound = [] { return fail(ErrorKind::not_found, "file_not_found", "no such file"); };
  if (relativePath.empty() || relativePath.front() == '/') return notFound();
  UniqueFd current = openRoot(root);
  if (!current.valid()) return sysError("open folder", errno);
  std::string_view rest = relativePath;
  while (true) {
    auto slash = rest.find('/');
    std::string segment(rest.substr(0, slash));
    if (!isPlainSegment(segment)) return notFound();
    bool last = slash == std::string_view::npos;
    // O_NOFOLLOW refuses a link as the last component (ELOOP); O_DIRECTORY|O_NOFOLLOW
    // refuses it as a folder on the way. O_NONBLOCK: opening a fifo must not hang us.
    UniqueFd next = openBeneath(current.get(), segment,
                                last ? O_RDONLY | O_NONBLOCK : O_RDONLY | O_DIRECTORY);
    if (!next.valid()) return notFound();
    current = std::move(next);
    if (last) break;
    rest.remove_prefix(slash + 1);
  }
  struct stat info {};
  if (::fstat(current.get(), &info) != 0) return sysError("inspect file", errno);
  if (!S_ISREG(info.st_mode)) return notFound();
  FileSlice slice;
  slice.size = static_cast<std::uint64_t>(info.st_size);
  std::uint64_t wanted = std::min<std::uint64_t>(slice.size, maxBytes);
  slice.bytes.resize(wanted);
  std::size_t got = 0;
  while (got < wanted) {
    ssize_t n = ::read(current.get(), slice.bytes.data() + got, wanted - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sysError("read file", errno);
    if (n == 0) break;  // shrank meanwhile
    got += static_cast<std::size_t>(n);
  }
  slice.bytes.resize(got);
  return slice;
}

}  // namespace stratus
