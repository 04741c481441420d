// Reads a dashboard build folder into a StaticSite once, at start-up: after this nothing
// the dashboard serves touches the file system. Links are skipped (never followed, see
// common/file_tree.h), as are dotfiles (.DS_Store, .gitignore, editor swap files).
#pragma once

#include <cstdint>
#include <filesystem>

#include "common/error.h"
#include "http/static_site.h"

namespace stratus::http {

struct StaticDirLimits {
  // A dashboard is a few hundred KB; this much means the wrong folder was named.
  std::uint64_t maxTotalBytes = 20u << 20;
  std::size_t maxFiles = 2000;
};

// Refused: "web_dir_missing" (not_found: no such folder), "web_dir_no_index" (no
// index.html at its top), "web_dir_too_large", "web_dir_unreadable".
Result<StaticSite> loadStaticDir(const std::filesystem::path& dir,
                                 const StaticDirLimits& limits = {});

}  // namespace stratus::http
