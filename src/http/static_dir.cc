#include "http/static_dir.h"

#include <map>
#include <string>

#include "common/file_tree.h"
#include "common/log.h"

namespace stratus::http {

Result<StaticSite> loadStaticDir(const std::filesystem::path& dir, const StaticDirLimits& limits) {
  auto listing = listTree(dir, TreeOptions{.skipDotfiles = true, .maxFiles = limits.maxFiles,
                                           .maxDepth = 8});
  if (!listing) {
    if (listing.error().kind == ErrorKind::not_found)
      return fail(ErrorKind::not_found, "web_dir_missing", "the web folder does not exist");
    return fail(ErrorKind::invalid_argument, "web_dir_unreadable",
                "the web folder cannot be read: " + listing.error().describe());
  }
  std::uint64_t total = 0;
  for (const auto& file : listing->files) total += file.size;
  if (total > limits.maxTotalBytes)
    return fail(ErrorKind::invalid_argument, "web_dir_too_large",
                "the web folder holds " + std::to_string(total >> 20) + " MB; at most " +
                    std::to_string(limits.maxTotalBytes >> 20) + " MB are served");
  std::map<std::string, std::string> files;
  std::uint64_t read = 0;
  for (const auto& file : listing->files) {
    auto slice = readTreeFile(dir, file.path, limits.maxTotalBytes - read);
    // Gone or replaced by a link since the listing: as if it had never been there.
    if (!slice) {
      if (slice.error().kind == ErrorKind::not_found) continue;
      return fail(ErrorKind::invalid_argument, "web_dir_unreadable",
                  "cannot read " + file.path + ": " + slice.error().describe());
    }
    if (slice->size > slice->bytes.size())
      return fail(ErrorKind::invalid_argument, "web_dir_too_large",
                  "the web folder grew past " + std::to_string(limits.maxTotalBytes >> 20) +
                      " MB while being read");
    read += slice->bytes.size();
    files.emplace(file.path, std::move(slice->bytes));
  }
  if (listing->skipped > 0)
    log::info("web folder: links, dotfiles and special files skipped",
              {{"skipped", listing->skipped}});
  StaticSite site(std::move(files));
  if (!site.hasIndex())
    return fail(ErrorKind::invalid_argument, "web_dir_no_index", "the web folder has no index.html");
  return site;
}

}  // namespace stratus::http
