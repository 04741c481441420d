// Nanos disk images, built with the Nanos mkfs from a manifest (nanos/manifest.h) and kept
// in a folder: one image per distinct manifest, so a function version's image is built on
// its first start and reused until its code, its settings or the runtime changes. Nothing
// is ever written to an image afterwards (qemu runs it with -snapshot).
//
// The image is made by Nanos's own mkfs rather than by writing TFS here: TFS is versioned
// with the kernel, and the mkfs built with a kernel always writes what that kernel reads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "nanos/install.h"
#include "nanos/manifest.h"

namespace stratus::nanos {

// What identifies a host file's contents without reading it.
struct FileStamp {
  std::string path;
  int64_t size = 0;
  int64_t modifiedNs = 0;
};

// The cache key: a digest of the manifest's text and the stamps of every file it names
// (the kernel and boot image included), so a changed runtime or file gives a new image.
std::string imageKey(std::string_view manifestText, const std::vector<FileStamp>& stamps);

class ImageCache {
 public:
  // Images live in `dir` (created 0755: qemu reads them as an unprivileged user); beyond
  // `maxImages`, the least recently used are removed (a running VM keeps its open file).
  ImageCache(NanosInstall install, std::filesystem::path dir, std::size_t maxImages = 32);

  // The image for `manifest`, built first if needed. `built` tells whether it was.
  Result<std::filesystem::path> imageFor(const Manifest& manifest, bool* built = nullptr);

 private:
  NanosInstall install_;
  std::filesystem::path dir_;
  std::size_t maxImages_;
  std::mutex mutex_;  // one build at a time; a second start of the same version waits for it
};

}  // namespace stratus::nanos
