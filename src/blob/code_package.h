// Function code packages: uploaded zips are untrusted input. They are checked by actually
// decompressing every entry (headers can lie), then unpacked by our own code, never by a
// general-purpose extractor: only plain files and folders, fixed permissions, no links.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace stratus::blob {

struct PackageLimits {
  std::size_t maxEntries = 10000;
  std::uint64_t maxUnpackedBytes = 250ull << 20;
  std::size_t maxUploadBytes = 50u << 20;
};

struct PackageEntry {
  std::string path;        // normalised: relative, '/'-separated, no "." or empty segments
  std::uint64_t size = 0;  // bytes actually decompressed, not what the header claims
  bool directory = false;
  // Any execute bit set in the zip: unpacked 0755 rather than 0644 (a custom runtime's
  // `bootstrap` must be executable). Never setuid, setgid or writable by others.
  bool executable = false;
};

// Validates an uploaded zip by decompressing every entry with a running byte count.
// Refusals are ErrorKind::invalid_argument with a message naming the entry:
//   zip_absolute_path, zip_path_traversal, zip_invalid_path (control character, over-long,
//   backslash: libarchive already reads '\' as '/', so "..\x" is zip_path_traversal),
//   zip_link (symlink or hardlink), zip_special_file (device, fifo, socket),
//   zip_encrypted, zip_duplicate_entry, zip_path_conflict (a file used as a folder),
//   zip_too_many_entries, zip_too_large (unpacks past maxUnpackedBytes), zip_corrupt,
//   entry_not_found (no regular file `requiredEntry`; an empty requiredEntry requires nothing).
// A zip larger than maxUploadBytes is ErrorKind::payload_too_large, "upload_too_large".
// Entries are listed in archive order.
Result<std::vector<PackageEntry>> inspectZip(std::string_view zipBytes, const PackageLimits& limits,
                                             std::string_view requiredEntry);

// Wraps a single source file into a zip holding one entry `fileName` (mode 0644, a fixed
// timestamp, so the same source always gives the same bytes and the same SHA-256).
Result<std::string> zipSingleFile(std::string_view fileName, std::string_view content);

// Unpacks a zip into `dest` atomically: into a temporary sibling folder, made durable, then
// renamed to `dest`. Files are 0644 (0755 if the zip marks them executable) and folders
// 0755 whatever else the zip says, so the sandbox
// user can read them and nothing is setuid or writable. Every inspectZip check is applied
// again while unpacking. If `dest` already exists (or appears meanwhile), nothing is done.
Status unpackZip(std::string_view zipBytes, const std::filesystem::path& dest,
                 const PackageLimits& limits);

// The pure path check behind both: the normalised form of an entry name ("./a//b.py" ->
// "a/b.py"; "" for the package root itself), or the refusal.
Result<std::string> normaliseEntryPath(std::string_view name);

}  // namespace stratus::blob
