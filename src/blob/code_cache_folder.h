// The on-disk side of CodeCache. Layout of the cache folder:
//   <root>/<sha256>/   one complete unpacked code version (complete because unpackZip
//                      renames a finished folder into place)
//   <root>/.~*         temporary: an unpack in progress, or a folder being removed
//   <root>/.lock       held (flock) by the one process that owns the folder
// Whatever a crash leaves behind is either a complete version or a ".~" name, so a start-up
// scan can tell them apart; the scan still checks each version, because the folder outlives
// the process and anything on the host could have changed it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "blob/code_package.h"
#include "common/error.h"
#include "common/unique_fd.h"

namespace stratus::blob {

// A code digest becomes a folder name: it must be exactly a SHA-256 in lowercase hex.
bool isSha256Hex(std::string_view text);

// The sum of the file sizes in an unpacked code folder. Refused ("code_folder_invalid")
// when it holds anything unpackZip never makes: links, special files, files that are
// hard-linked elsewhere, setuid/setgid/sticky or group/other-writable modes, or more files
// or bytes than `limits` allow.
Result<std::uint64_t> measureCodeFolder(const std::filesystem::path& folder,
                                        const PackageLimits& limits);

// Renames `path` to a fresh ".~remove." name in the same folder and returns that name, so
// that a removal cut short (by a crash, or by a file that cannot be deleted) never leaves a
// half-emptied folder under a name that means "complete".
Result<std::filesystem::path> moveAside(const std::filesystem::path& path);

// Removes whatever is at `path`; a folder is moved aside first. Fails only if the name is
// still taken afterwards.
Status discard(const std::filesystem::path& path);

// remove_all that logs instead of failing: for folders already moved aside, which the next
// start-up scan removes if this attempt leaves anything.
void removeQuietly(const std::filesystem::path& path);

// Sets the folder's mtime to now: the last-use order the next start-up scan reads.
void markUsed(const std::filesystem::path& folder);

// Creates `root` if needed and takes <root>/.lock without waiting. A second process on the
// same folder would evict versions the first one has leased, and its start-up scan would
// delete the first one's unpacks in progress: it gets "code_cache_in_use" (unavailable).
Result<UniqueFd> lockCacheFolder(const std::filesystem::path& root);

struct CachedVersion {
  std::string sha256;
  std::uint64_t bytes = 0;
  std::filesystem::file_time_type lastUse;
};

// Cleans <root> after a restart and lists what it holds. ".~" leftovers are removed; a
// <sha256> folder that measureCodeFolder refuses is moved aside and removed (it would
// otherwise shadow a good copy: unpackZip leaves an existing folder alone). Other names are
// not ours and are left alone. The versions come least recently used first (by mtime).
Result<std::vector<CachedVersion>> scanCacheFolder(const std::filesystem::path& root,
                                                   const PackageLimits& limits);

}  // namespace stratus::blob
