// Zips built inside the tests, two ways:
//  - rawZip writes every byte itself (stored, uncompressed), so a test can say anything
//    a hostile zip can: absolute names, "..", fifo and symlink modes, the encryption flag,
//    sizes that lie;
//  - deflateZip / zerosZip go through libarchive's writer, for real compressed archives
//    (zip bombs included).
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace stratus::blob::testing {

// ---- Hand-written stored zips

struct RawEntry {
  std::string name;
  std::string data;
  std::uint32_t mode = 0100644;  // unix st_mode, stored in the external attributes
  std::uint16_t flags = 0;       // general purpose bits; bit 0 = encrypted
  // When set, the size the headers claim instead of data.size() (uncompressed only).
  std::int64_t claimedSize = -1;
};

inline std::uint32_t crc32(std::string_view data) {
  std::uint32_t crc = 0xffffffffu;
  for (unsigned char byte : data) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

inline void put16(std::string& out, std::uint32_t value) {
  out += static_cast<char>(value & 0xff);
  out += static_cast<char>((value >> 8) & 0xff);
}
inline void put32(std::string& out, std::uint32_t value) {
  put16(out, value & 0xffff);
  put16(out, value >> 16);
}

inline std::string rawZip(const std::vector<RawEntry>& entries) {
  std::string out;
  std::string central;
  for (const auto& entry : entries) {
    const auto offset = static_cast<std::uint32_t>(out.size());
    const auto crc = crc32(entry.data);
    const auto size = static_cast<std::uint32_t>(entry.data.size());
    const auto claimed =
        entry.claimedSize >= 0 ? static_cast<std::uint32_t>(entry.claimedSize) : size;
    put32(out, 0x04034b50);
    put16(out, 20);  // version needed
    put16(out, entry.flags);
    put16(out, 0);     // stored
    put16(out, 0);     // time
    put16(out, 0x21);  // date: 1980-01-01
    put32(out, crc);
    put32(out, size);     // compressed
    put32(out, claimed);  // uncompressed
    put16(out, static_cast<std::uint32_t>(entry.name.size()));
    put16(out, 0);  // extra length
    out += entry.name;
    out += entry.data;

    put32(central, 0x02014b50);
    put16(central, (3u << 8) | 20);  // made by: unix, so the mode is honoured
    put16(central, 20);
    put16(central, entry.flags);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0x21);
    put32(central, crc);
    put32(central, size);
    put32(central, claimed);
    put16(central, static_cast<std::uint32_t>(entry.name.size()));
    put16(central, 0);  // extra
    put16(central, 0);  // comment
    put16(central, 0);  // disk
    put16(central, 0);  // internal attributes
    put32(central, entry.mode << 16);
    put32(central, offset);
    central += entry.name;
  }
  const auto centralOffset = static_cast<std::uint32_t>(out.size());
  out += central;
  put32(out, 0x06054b50);
  put16(out, 0);
  put16(out, 0);
  put16(out, static_cast<std::uint32_t>(entries.size()));
  put16(out, static_cast<std::uint32_t>(entries.size()));
  put32(out, static_cast<std::uint32_t>(central.size()));
  put32(out, centralOffset);
  put16(out, 0);
  return out;
}

// ---- libarchive-written deflate zips

struct ZipFile {
  std::string path;
  std::string data;
  bool directory = false;
  std::uint32_t perm = 0644;
  std::string symlinkTarget;  // non-empty: a symbolic link
};

class DeflateZipWriter {
 public:
  DeflateZipWriter() : writer_(archive_write_new()) {
    check(archive_write_set_format_zip(writer_));
    check(archive_write_zip_set_compression_deflate(writer_));
    check(archive_write_set_bytes_per_block(writer_, 0));
    check(archive_write_open(writer_, &out_, nullptr, &DeflateZipWriter::append, nullptr));
  }
  ~DeflateZipWriter() { archive_write_free(writer_); }

  // Writes an entry whose data is file.data repeated `repeat` times, streamed.
  void add(const ZipFile& file, std::uint64_t repeat = 1) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, file.path.c_str());
    if (!file.symlinkTarget.empty()) {
      archive_entry_set_filetype(entry, AE_IFLNK);
      archive_entry_set_symlink(entry, file.symlinkTarget.c_str());
      archive_entry_set_perm(entry, 0777);
    } else {
      archive_entry_set_filetype(entry, file.directory ? AE_IFDIR : AE_IFREG);
      archive_entry_set_perm(entry, file.directory ? 0755 : file.perm);
      archive_entry_set_size(
          entry, file.directory ? 0 : static_cast<la_int64_t>(file.data.size() * repeat));
    }
    archive_entry_set_mtime(entry, 1577836800, 0);
    check(archive_write_header(writer_, entry));
    archive_entry_free(entry);
    if (file.directory || !file.symlinkTarget.empty()) return;
    for (std::uint64_t i = 0; i < repeat; ++i) {
      if (archive_write_data(writer_, file.data.data(), file.data.size()) !=
          static_cast<la_ssize_t>(file.data.size())) {
        throw std::runtime_error(archive_error_string(writer_));
      }
    }
  }

  std::string finish() {
    check(archive_write_close(writer_));
    return std::move(out_);
  }

 private:
  static la_ssize_t append(archive*, void* out, const void* buffer, size_t length) {
    static_cast<std::string*>(out)->append(static_cast<const char*>(buffer), length);
    return static_cast<la_ssize_t>(length);
  }
  void check(int result) {
    if (result != ARCHIVE_OK) {
      const char* message = archive_error_string(writer_);
      throw std::runtime_error(message ? message : "libarchive write failed");
    }
  }

  archive* writer_;
  std::string out_;
};

inline std::string deflateZip(const std::vector<ZipFile>& files) {
  DeflateZipWriter writer;
  for (const auto& file : files) writer.add(file);
  return writer.finish();
}

// One entry of `megabytes` MiB of zeros: compresses about 1000:1.
inline std::string zerosZip(const std::string& name, std::uint64_t megabytes) {
  DeflateZipWriter writer;
  writer.add(ZipFile{.path = name, .data = std::string(1 << 20, '\0')}, megabytes);
  return writer.finish();
}

}  // namespace stratus::blob::testing
