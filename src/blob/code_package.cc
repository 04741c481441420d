#include "blob/code_package.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <memory>
#include <set>
#include <system_error>

#include "common/unique_fd.h"

namespace stratus::blob {

namespace {

constexpr std::size_t kMaxSegmentLength = 255;
constexpr std::size_t kMaxPathLength = 4096;

// Entry names are attacker-chosen and end up in API responses: short and printable.
std::string displayName(std::string_view name) {
  std::string shown;
  for (unsigned char c : name.substr(0, 200)) shown += (c < 0x20 || c == 0x7f) ? '?' : char(c);
  if (name.size() > 200) shown += "...";
  return "\"" + shown + "\"";
}

std::unexpected<Error> refuse(std::string code, std::string_view entry, std::string what) {
  return invalid(std::move(code), "zip entry " + displayName(entry) + " " + std::move(what));
}

struct ArchiveReadDeleter {
  void operator()(archive* reader) const { archive_read_free(reader); }
};
using ArchiveReader = std::unique_ptr<archive, ArchiveReadDeleter>;

std::unexpected<Error> corrupt(archive* reader, std::string_view entry) {
  Error error{ErrorKind::invalid_argument,
              "zip_corrupt",
              entry.empty() ? "the zip file is corrupt or uses an unsupported feature"
                            : "the zip file is corrupt or uses an unsupported feature at entry " +
                                  displayName(entry),
              {}};
  const char* detail = archive_error_string(reader);
  error.addContext(detail != nullptr ? detail : "libarchive gave no detail");
  return std::unexpected(std::move(error));
}

// Receives the admitted entries of a zip in order; each refusal stops the walk.
class ZipVisitor {
 public:
  virtual ~ZipVisitor() = default;
  virtual Status beginEntry(const PackageEntry& entry) = 0;
  virtual Status data(std::string_view chunk) = 0;
  virtual Status endEntry(const PackageEntry& entry) = 0;
};

// The checks that need the whole archive so far: counts, sizes, names already seen.
class EntryChecker {
 public:
  explicit EntryChecker(const PackageLimits& limits) : limits_(limits) {}

  // The entry to visit, or an entry with an empty path for the root folder (skipped).
  Result<PackageEntry> admit(archive_entry* entry) {
    const char* rawName = archive_entry_pathname_utf8(entry);
    if (rawName == nullptr) rawName = archive_entry_pathname(entry);
    if (rawName == nullptr) return invalid("zip_invalid_path", "a zip entry has no usable name");
    const std::string_view name(rawName);
    if (++entries_ > limits_.maxEntries) {
      return invalid("zip_too_many_entries",
                     "the zip has more than " + std::to_string(limits_.maxEntries) + " entries");
    }
    auto path = normaliseEntryPath(name);
    if (!path) return std::unexpected(std::move(path.error()));
    if (archive_entry_is_encrypted(entry)) {
      return refuse("zip_encrypted", name, "is encrypted");
    }
    if (archive_entry_hardlink(entry) != nullptr) return refuse("zip_link", name, "is a hard link");
    const auto type = archive_entry_filetype(entry);
    if (type == AE_IFLNK) return refuse("zip_link", name, "is a symbolic link");
    if (type != AE_IFREG && type != AE_IFDIR) {
      return refuse("zip_special_file", name, "is not a regular file or folder");
    }
    PackageEntry admitted{.path = std::move(*path), .size = 0, .directory = type == AE_IFDIR,
                          .executable = (archive_entry_perm(entry) & 0111) != 0};
    if (admitted.path.empty()) {
      if (admitted.directory) return admitted;
      return refuse("zip_invalid_path", name, "has no file name");
    }
    if (auto placed = place(admitted, name); !placed) return std::unexpected(placed.error());
    return admitted;
  }

  Status count(std::size_t bytes, std::string_view name) {
    unpackedBytes_ += bytes;
    if (unpackedBytes_ > limits_.maxUnpackedBytes) {
      return refuse("zip_too_large", name,
                    "takes the unpacked size past the limit of " +
                        std::to_string(limits_.maxUnpackedBytes) + " bytes");
    }
    return {};
  }

 private:
  // Rejects a second file with the same path and a file that is also a folder ("a" and
  // "a/b"): both would make what is unpacked depend on entry order.
  Status place(const PackageEntry& entry, std::string_view name) {
    for (std::size_t slash = entry.path.find('/'); slash != std::string::npos;
         slash = entry.path.find('/', slash + 1)) {
      const std::string parent = entry.path.substr(0, slash);
      if (files_.contains(parent)) {
        return refuse("zip_path_conflict", name, "is inside a path that is a file");
      }
      folders_.insert(parent);
    }
    if (entry.directory) {
      if (files_.contains(entry.path)) {
        return refuse("zip_path_conflict", name, "is both a file and a folder");
      }
      folders_.insert(entry.path);
      return {};
    }
    if (folders_.contains(entry.path)) {
      return refuse("zip_path_conflict", name, "is both a file and a folder");
    }
    if (!files_.insert(entry.path).second) {
      return refuse("zip_duplicate_entry", name, "appears twice");
    }
    return {};
  }

  const PackageLimits& limits_;
  std::size_t entries_ = 0;
  std::uint64_t unpackedBytes_ = 0;
  std::set<std::string> files_;
  std::set<std::string> folders_;
};

// Reads every entry of the zip, checking it and decompressing its data through the
// running byte count, and hands what passes to the visitor.
Status walkZip(std::string_view zipBytes, const PackageLimits& limits, ZipVisitor& visitor) {
  if (zipBytes.size() > limits.maxUploadBytes) {
    return fail(ErrorKind::payload_too_large, "upload_too_large",
                "the zip is larger than " + std::to_string(limits.maxUploadBytes) + " bytes");
  }
  ArchiveReader reader(archive_read_new());
  if (!reader) return internalError("cannot allocate a zip reader");
  // Zip only: no tar, no compression filters, nothing else libarchive could be talked into.
  archive_read_support_format_zip(reader.get());
  if (archive_read_open_memory(reader.get(), zipBytes.data(), zipBytes.size()) != ARCHIVE_OK) {
    return corrupt(reader.get(), {});
  }

  EntryChecker checker(limits);
  char buffer[64 * 1024];
  while (true) {
    archive_entry* header = nullptr;
    const int next = archive_read_next_header(reader.get(), &header);
    if (next == ARCHIVE_EOF) break;
    // ARCHIVE_WARN is a recoverable oddity (a name charset libarchive could not convert);
    // the entry is still checked like any other.
    if (next != ARCHIVE_OK && next != ARCHIVE_WARN) return corrupt(reader.get(), {});
    auto entry = checker.admit(header);
    if (!entry) return std::unexpected(std::move(entry.error()));
    if (entry->path.empty()) continue;
    if (auto begun = visitor.beginEntry(*entry); !begun) return begun;
    if (!entry->directory) {
      while (true) {
        const la_ssize_t got = archive_read_data(reader.get(), buffer, sizeof buffer);
        if (got == 0) break;
        // Any negative result, including ARCHIVE_WARN for a CRC mismatch, is corruption.
        if (got < 0) return corrupt(reader.get(), entry->path);
        const auto bytes = static_cast<std::size_t>(got);
        entry->size += bytes;
        if (auto counted = checker.count(bytes, entry->path); !counted) return counted;
        if (auto written = visitor.data({buffer, bytes}); !written) return written;
      }
    }
    if (auto ended = visitor.endEntry(*entry); !ended) return ended;
  }
  return {};
}

class ListingVisitor final : public ZipVisitor {
 public:
  Status beginEntry(const PackageEntry&) override { return {}; }
  Status data(std::string_view) override { return {}; }
  Status endEntry(const PackageEntry& entry) override {
    entries.push_back(entry);
    return {};
  }
  std::vector<PackageEntry> entries;
};

// ---- Unpacking

Status writeAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return sysError("write unpacked file", errno);
    }
    data.remove_prefix(static_cast<std::size_t>(written));
  }
  return {};
}

// mkdir, then chmod: the umask must not decide whether the sandbox user can read the code.
Status makeFolder(const std::filesystem::path& path) {
  if (::mkdir(path.c_str(), 0755) != 0) {
    if (errno != EEXIST) return sysError("create unpacked folder", errno);
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
      return sysError("create unpacked folder", ENOTDIR);
    }
    return {};
  }
  if (::chmod(path.c_str(), 0755) != 0) return sysError("set unpacked folder mode", errno);
  return {};
}

// Writes into a private temporary folder nobody else can write to, so plain paths are
// safe; O_EXCL|O_NOFOLLOW is a second guard against anything already being there.
class UnpackingVisitor final : public ZipVisitor {
 public:
  explicit UnpackingVisitor(std::filesystem::path root) : root_(std::move(root)) {}

  Status beginEntry(const PackageEntry& entry) override {
    const std::filesystem::path relative(entry.path);
    std::filesystem::path folder = root_;
    const std::filesystem::path parents = entry.directory ? relative : relative.parent_path();
    for (const auto& segment : parents) {
      folder /= segment;
      if (auto made = makeFolder(folder); !made) return made;
    }
    if (entry.directory) return {};
    const std::filesystem::path file = root_ / relative;
    file_.reset(::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (!file_.valid()) return sysError("create unpacked file", errno);
    if (::fchmod(file_.get(), entry.executable ? 0755 : 0644) != 0)
      return sysError("set unpacked file mode", errno);
    return {};
  }
  Status data(std::string_view chunk) override { return writeAll(file_.get(), chunk); }
  Status endEntry(const PackageEntry& entry) override {
    if (!entry.directory && ::close(file_.release()) != 0) {
      return sysError("close unpacked file", errno);
    }
    return {};
  }

 private:
  std::filesystem::path root_;
  UniqueFd file_;
};

// Removes the temporary folder unless it was renamed into place.
struct TemporaryFolder {
  std::filesystem::path path;
  bool kept = false;
  ~TemporaryFolder() {
    if (kept || path.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

}  // namespace

Result<std::string> normaliseEntryPath(std::string_view name) {
  if (name.empty()) return invalid("zip_invalid_path", "a zip entry has an empty name");
  if (name.size() > kMaxPathLength) return refuse("zip_invalid_path", name, "has a name too long");
  for (unsigned char c : name) {
    // Backslashes are separators to Windows tools ("..\\..\\x"); refuse them outright.
    if (c == '\\') return refuse("zip_invalid_path", name, "contains a backslash");
    if (c < 0x20 || c == 0x7f)
      return refuse("zip_invalid_path", name, "contains a control character");
  }
  const bool driveLetter =
      name.size() >= 2 && name[1] == ':' &&
      ((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z'));
  if (name.front() == '/' || driveLetter) {
    return refuse("zip_absolute_path", name, "has an absolute path");
  }
  std::string normalised;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t slash = name.find('/', start);
    if (slash == std::string_view::npos) slash = name.size();
    const std::string_view segment = name.substr(start, slash - start);
    start = slash + 1;
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") return refuse("zip_path_traversal", name, "leaves the package folder");
    if (segment.size() > kMaxSegmentLength) {
      return refuse("zip_invalid_path", name, "has a name too long");
    }
    if (!normalised.empty()) normalised += '/';
    normalised += segment;
  }
  return normalised;
}

Result<std::vector<PackageEntry>> inspectZip(std::string_view zipBytes, const PackageLimits& limits,
                                             std::string_view requiredEntry) {
  ListingVisitor listing;
  if (auto walked = walkZip(zipBytes, limits, listing); !walked) {
    return propagate(std::move(walked.error()), "inspect zip");
  }
  if (!requiredEntry.empty()) {
    bool found = false;
    for (const auto& entry : listing.entries) {
      if (!entry.directory && entry.path == requiredEntry) found = true;
    }
    if (!found) {
      return invalid("entry_not_found",
                     "the zip has no file " + displayName(requiredEntry) +
                         " (it must be at the top level of the zip, or at the path given)");
    }
  }
  return std::move(listing.entries);
}

Status unpackZip(std::string_view zipBytes, const std::filesystem::path& dest,
                 const PackageLimits& limits) {
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::symlink_status(dest, ec))) return {};
  const std::filesystem::path parent = dest.parent_path();
  std::filesystem::create_directories(parent, ec);
  if (ec) return propagate(sysError("create unpack folder", ec.value()).error(), dest.string());

  // mkdtemp makes it 0700: private while it fills up; '~' marks it as temporary.
  std::string pattern = (parent / (".~unpack." + dest.filename().string() + ".XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return propagate(sysError("create temporary unpack folder", errno).error(), dest.string());
  }
  TemporaryFolder temporary{pattern};

  UnpackingVisitor unpacking(temporary.path);
  if (auto walked = walkZip(zipBytes, limits, unpacking); !walked) {
    return propagate(std::move(walked.error()), "unpack zip");
  }
  if (::chmod(temporary.path.c_str(), 0755) != 0) {
    return propagate(sysError("set unpack folder mode", errno).error(), dest.string());
  }
  // One syncfs instead of an fsync per file and folder: once renamed, the folder counts as
  // complete, so its contents must be on disk before the rename is.
  {
    UniqueFd folder(::open(temporary.path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!folder.valid() || ::syncfs(folder.get()) != 0) {
      return propagate(sysError("sync unpacked files", errno).error(), dest.string());
    }
  }
  if (::rename(temporary.path.c_str(), dest.c_str()) != 0) {
    // Another process unpacked the same code first: theirs is as good as ours.
    if (errno == EEXIST || errno == ENOTEMPTY) return {};
    return propagate(sysError("move unpacked folder into place", errno).error(), dest.string());
  }
  temporary.kept = true;
  UniqueFd parentFd(
      ::open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!parentFd.valid() || ::fsync(parentFd.get()) != 0) {
    return propagate(sysError("sync unpack folder", errno).error(), dest.string());
  }
  return {};
}

// ---- Writing

namespace {

struct ArchiveWriteDeleter {
  void operator()(archive* writer) const { archive_write_free(writer); }
};
using ArchiveWriter = std::unique_ptr<archive, ArchiveWriteDeleter>;
struct EntryDeleter {
  void operator()(archive_entry* entry) const { archive_entry_free(entry); }
};

la_ssize_t appendToString(archive*, void* target, const void* buffer, size_t length) {
  static_cast<std::string*>(target)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

// 2020-01-01T00:00:00Z: any fixed time after 1980 (the zip epoch) makes output reproducible.
constexpr time_t kFixedMtime = 1577836800;

Error writeError(archive* writer) {
  Error error{ErrorKind::internal, "internal", "could not build the zip", {}};
  const char* detail = archive_error_string(writer);
  error.addContext(detail != nullptr ? detail : "libarchive gave no detail");
  return error;
}

}  // namespace

Result<std::string> zipSingleFile(std::string_view fileName, std::string_view content) {
  auto normalised = normaliseEntryPath(fileName);
  if (!normalised || *normalised != fileName) {
    return invalid("invalid_file_name",
                   "the file name " + displayName(fileName) + " is not a plain relative path");
  }
  std::string zip;
  ArchiveWriter writer(archive_write_new());
  if (!writer) return internalError("cannot allocate a zip writer");
  std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
  if (!entry) return internalError("cannot allocate a zip entry");
  // Block size 0: hand bytes straight to the callback, no padding after the archive.
  if (archive_write_set_format_zip(writer.get()) != ARCHIVE_OK ||
      archive_write_zip_set_compression_deflate(writer.get()) != ARCHIVE_OK ||
      archive_write_set_bytes_per_block(writer.get(), 0) != ARCHIVE_OK ||
      archive_write_open(writer.get(), &zip, nullptr, appendToString, nullptr) != ARCHIVE_OK) {
    return std::unexpected(writeError(writer.get()));
  }
  const std::string name(fileName);
  archive_entry_set_pathname_utf8(entry.get(), name.c_str());
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_perm(entry.get(), 0644);
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(content.size()));
  archive_entry_set_mtime(entry.get(), kFixedMtime, 0);
  if (archive_write_header(writer.get(), entry.get()) != ARCHIVE_OK) {
    return std::unexpected(writeError(writer.get()));
  }
  if (!content.empty() && archive_write_data(writer.get(), content.data(), content.size()) !=
                              static_cast<la_ssize_t>(content.size())) {
    return std::unexpected(writeError(writer.get()));
  }
  if (archive_write_close(writer.get()) != ARCHIVE_OK) {
    return std::unexpected(writeError(writer.get()));
  }
  return zip;
}

}  // namespace stratus::blob
