// Builds zip archives in memory with libarchive, including the malicious shapes the server
// must refuse (traversal, absolute paths, symlinks, bombs).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace stratus::e2e {

struct ZipEntry {
  enum class Kind { file, directory, symlink } kind = Kind::file;
  std::string path;
  std::string content;      // file content, or the link target
  std::uint64_t zeros = 0;  // when > 0: a file of this many zero bytes (streamed)
  bool executable = false;  // file mode 0755 rather than 0644
};

std::string buildZip(const std::vector<ZipEntry>& entries);

}  // namespace stratus::e2e
