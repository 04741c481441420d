// Reading a folder tree that someone else controls (the dashboard's build output, a
// function's unpacked code) without ever leaving it: every step is an openat() relative to
// the folder already opened, with O_NOFOLLOW, so a symbolic link anywhere (planted before
// or swapped in while reading) is skipped or refused rather than followed, and ".." or an
// absolute path cannot be spelled at all. The root itself may be a link (an operator's
// choice of folder); nothing under it is followed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace stratus {

struct TreeOptions {
  bool skipDotfiles = false;  // names starting with '.', files and folders alike
  std::size_t maxFiles = 10000;
  int maxDepth = 32;
};

struct TreeFile {
  std::string path;  // relative, '/'-separated
  std::uint64_t size = 0;
};

struct TreeListing {
  std::vector<TreeFile> files;  // regular files only, sorted by path
  std::size_t skipped = 0;      // links, devices, sockets, fifos and (if asked) dotfiles
};

// Fails "tree_unreadable" (not_found when the root is missing) or "tree_too_many_files".
Result<TreeListing> listTree(const std::filesystem::path& root, const TreeOptions& options = {});

struct FileSlice {
  std::string bytes;       // at most maxBytes of the start of the file
  std::uint64_t size = 0;  // the whole file's size
};

// The start of the regular file `relativePath` ('/'-separated) under root. A path that is
// empty, absolute, has "." / ".." / empty segments, passes a link, or names anything but a
// regular file is not_found ("file_not_found"), the same as a missing one.
Result<FileSlice> readTreeFile(const std::filesystem::path& root, std::string_view relativePath,
                               std::uint64_t maxBytes);

}  // namespace stratus
