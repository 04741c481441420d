#include "support/zip_builder.h"

#include <archive.h>
#include <archive_entry.h>

#include <stdexcept>

namespace stratus::e2e {
namespace {

la_ssize_t appendToString(archive*, void* out, const void* data, size_t size) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(data), size);
  return static_cast<la_ssize_t>(size);
}

}  // namespace

std::string buildZip(const std::vector<ZipEntry>& entries) {
  std::string out;
  archive* zip = archive_write_new();
  archive_write_set_format_zip(zip);
  archive_write_set_bytes_in_last_block(zip, 1);
  if (archive_write_open(zip, &out, nullptr, appendToString, nullptr) != ARCHIVE_OK)
    throw std::runtime_error("archive_write_open failed");
  for (const auto& e : entries) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, e.path.c_str());
    archive_entry_set_mtime(entry, 1700000000, 0);
    if (e.kind == ZipEntry::Kind::directory) {
      archive_entry_set_filetype(entry, AE_IFDIR);
      archive_entry_set_perm(entry, 0755);
    } else if (e.kind == ZipEntry::Kind::symlink) {
      archive_entry_set_filetype(entry, AE_IFLNK);
      archive_entry_set_perm(entry, 0777);
      archive_entry_set_symlink(entry, e.content.c_str());
    } else {
      archive_entry_set_filetype(entry, AE_IFREG);
      archive_entry_set_perm(entry, e.executable ? 0755 : 0644);
      archive_entry_set_size(entry, static_cast<la_int64_t>(e.zeros ? e.zeros : e.content.size()));
    }
    archive_write_header(zip, entry);
    if (e.kind == ZipEntry::Kind::file) {
      if (e.zeros) {
        std::string chunk(1 << 20, '\0');
        for (std::uint64_t left = e.zeros; left > 0;) {
          size_t n = left < chunk.size() ? static_cast<size_t>(left) : chunk.size();
          archive_write_data(zip, chunk.data(), n);
          left -= n;
        }
      } else {
        archive_write_data(zip, e.content.data(), e.content.size());
      }
    }
    archive_entry_free(entry);
  }
  archive_write_close(zip);
  archive_write_free(zip);
  return out;
}

}  // namespace stratus::e2e
