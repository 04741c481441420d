#include "nanos/image_cache.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>

#include "common/crypto.h"
#include "nanos/process.h"

namespace stratus::nanos {
namespace fs = std::filesystem;

std::string imageKey(std::string_view manifestText, const std::vector<FileStamp>& stamps) {
  std::string material(manifestText);
  for (const auto& stamp : stamps)
    material += "\n" + stamp.path + "\t" + std::to_string(stamp.size) + "\t" +
                std::to_string(stamp.modifiedNs);
  return sha256Hex(material).substr(0, 32);
}

namespace {

Result<FileStamp> stampOf(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return sysError("stat " + path, errno);
  return FileStamp{path, static_cast<int64_t>(info.st_size),
                   static_cast<int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec};
}

void evictBeyond(const fs::path& dir, std::size_t keep) {
  std::error_code ec;
  std::vector<std::pair<fs::file_time_type, fs::path>> images;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().extension() == ".img") images.emplace_back(entry.last_write_time(ec), entry.path());
  if (images.size() <= keep) return;
  std::sort(images.begin(), images.end());
  for (std::size_t i = 0; i + keep < images.size(); ++i) fs::remove(images[i].second, ec);
}

}  // namespace

ImageCache::ImageCache(NanosInstall install, fs::path dir, std::size_t maxImages)
    : install_(std::move(install)), dir_(std::move(dir)), maxImages_(std::max<std::size_t>(1, maxImages)) {}

Result<fs::path> ImageCache::imageFor(const Manifest& manifest, bool* built) {
  if (built) *built = false;
  auto text = renderManifest(manifest);
  if (!text) return std::unexpected(text.error());
  std::vector<FileStamp> stamps;
  stamps.reserve(manifest.files.size() + 2);
  for (const std::string& path : {install_.kernel, install_.boot}) {
    auto stamp = stampOf(path);
    if (!stamp) return propagate(stamp.error(), "nanos image");
    stamps.push_back(std::move(*stamp));
  }
  for (const auto& [guest, host] : manifest.files) {
    auto stamp = stampOf(host);
    if (!stamp) return propagate(stamp.error(), "nanos image: " + guest);
    stamps.push_back(std::move(*stamp));
  }
  fs::path image = dir_ / (imageKey(*text, stamps) + ".img");

  std::lock_guard lock(mutex_);
  std::error_code ec;
  if (fs::exists(image, ec)) {
    fs::last_write_time(image, fs::file_time_type::clock::now(), ec);  // recently used
    return image;
  }
  fs::create_directories(dir_, ec);
  fs::permissions(dir_, fs::perms(0755), ec);
  fs::path partial = image;
  partial += ".partial";
  auto made = runProgram({install_.mkfs, "-b", install_.boot, "-k", install_.kernel, partial.string()}, *text);
  if (!made) {
    fs::remove(partial, ec);
    return propagate(made.error(), "build the nanos image");
  }
  // Whole or absent: a crash mid-build never leaves an image that looks finished.
  fs::permissions(partial, fs::perms(0644), ec);
  fs::rename(partial, image, ec);
  if (ec) return sysError("store the nanos image", ec.value());
  if (built) *built = true;
  evictBeyond(dir_, maxImages_);
  return image;
}

}  // namespace stratus::nanos
