#include "blob/code_package.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>

#include "testing/temp_dir.h"
#include "unit/blob/zip_builder.h"

namespace stratus::blob {
namespace {

using stratus::testing::TempDir;
using testing::deflateZip;
using testing::RawEntry;
using testing::rawZip;
using testing::zerosZip;
using testing::ZipFile;

const PackageLimits kDefaults;

// The refusal code of inspecting `zip`, or "<accepted>".
std::string refusal(const std::string& zip, const PackageLimits& limits = kDefaults,
                    std::string_view required = "") {
  auto inspected = inspectZip(zip, limits, required);
  if (inspected) return "<accepted>";
  return inspected.error().code;
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

unsigned modeOf(const std::filesystem::path& path) {
  struct stat info {};
  EXPECT_EQ(::lstat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

// ---- Entry names

TEST(NormaliseEntryPath, KeepsPlainRelativePaths) {
  EXPECT_EQ(*normaliseEntryPath("cloud.py"), "cloud.py");
  EXPECT_EQ(*normaliseEntryPath("src/lib/util.py"), "src/lib/util.py");
  EXPECT_EQ(*normaliseEntryPath("./src//lib/./util.py"), "src/lib/util.py");
  EXPECT_EQ(*normaliseEntryPath("src/"), "src");
  EXPECT_EQ(*normaliseEntryPath("./"), "");
  EXPECT_EQ(*normaliseEntryPath("..foo/bar..py"), "..foo/bar..py");
}

TEST(NormaliseEntryPath, RefusesEscapes) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/etc/passwd", "zip_absolute_path"},
      {"C:/Windows/x", "zip_absolute_path"},
      {"../evil.py", "zip_path_traversal"},
      {"a/../../evil.py", "zip_path_traversal"},
      {"a/..", "zip_path_traversal"},
      {"..\\evil.py", "zip_invalid_path"},
      {"a\\b.py", "zip_invalid_path"},
      {"a\nb.py", "zip_invalid_path"},
      {"", "zip_invalid_path"},
      {std::string(300, 'a'), "zip_invalid_path"},
  };
  for (const auto& [name, code] : cases) {
    auto normalised = normaliseEntryPath(name);
    ASSERT_FALSE(normalised) << name;
    EXPECT_EQ(normalised.error().code, code) << name;
    EXPECT_EQ(normalised.error().kind, ErrorKind::invalid_argument) << name;
  }
}

// ---- inspectZip: what is accepted

TEST(InspectZip, ListsAValidMultiFileZipWithSubfolders) {
  const std::string zip = deflateZip({
      {.path = "cloud.py", .data = "print('hi')\n"},
      {.path = "lib/", .directory = true},
      {.path = "lib/helpers.py", .data = std::string(5000, 'x')},
      {.path = "lib/deep/data.json", .data = "{}"},
  });
  auto entries = inspectZip(zip, kDefaults, "cloud.py");
  ASSERT_TRUE(entries) << entries.error().describe();
  ASSERT_EQ(entries->size(), 4u);
  EXPECT_EQ((*entries)[0].path, "cloud.py");
  EXPECT_EQ((*entries)[0].size, 12u);
  EXPECT_FALSE((*entries)[0].directory);
  EXPECT_EQ((*entries)[1].path, "lib");
  EXPECT_TRUE((*entries)[1].directory);
  EXPECT_EQ((*entries)[2].path, "lib/helpers.py");
  EXPECT_EQ((*entries)[2].size, 5000u);
  EXPECT_EQ((*entries)[3].path, "lib/deep/data.json");
}

TEST(InspectZip, FindsARequiredEntryInASubfolder) {
  const std::string zip = deflateZip({{.path = "src/cloud.py", .data = "x"}});
  EXPECT_EQ(refusal(zip, kDefaults, "src/cloud.py"), "<accepted>");
}

TEST(InspectZip, AcceptsAnEmptyRequirementAndAnEmptyZip) {
  EXPECT_EQ(refusal(rawZip({})), "<accepted>");
}

TEST(InspectZip, StoredZipsWithUnixModesAreFine) {
  const std::string zip = rawZip({{.name = "run.sh", .data = "#!/bin/sh\n", .mode = 0100755},
                                  {.name = "dir/", .data = "", .mode = 040755},
                                  {.name = "dir/a.py", .data = "a"}});
  auto entries = inspectZip(zip, kDefaults, "run.sh");
  ASSERT_TRUE(entries) << entries.error().describe();
  EXPECT_EQ(entries->size(), 3u);
}

// ---- inspectZip: what is refused

TEST(InspectZip, RefusesPathTraversal) {
  EXPECT_EQ(refusal(rawZip({{.name = "../evil.py", .data = "x"}})), "zip_path_traversal");
  EXPECT_EQ(refusal(rawZip({{.name = "ok/../../evil.py", .data = "x"}})), "zip_path_traversal");
  auto inspected = inspectZip(rawZip({{.name = "../evil.py", .data = "x"}}), kDefaults, "");
  ASSERT_FALSE(inspected);
  EXPECT_EQ(inspected.error().kind, ErrorKind::invalid_argument);
  EXPECT_NE(inspected.error().message.find("../evil.py"), std::string::npos)
      << inspected.error().message;
}

TEST(InspectZip, RefusesAbsolutePaths) {
  EXPECT_EQ(refusal(rawZip({{.name = "/etc/cron.d/evil", .data = "x"}})), "zip_absolute_path");
}

// libarchive's zip reader already turns backslashes into slashes (Windows zippers write
// them), so "..\\" arrives as "../" and is refused as traversal; normaliseEntryPath's own
// backslash refusal (tested above) is the second line of defence.
TEST(InspectZip, RefusesBackslashTraversal) {
  EXPECT_EQ(refusal(rawZip({{.name = "..\\..\\evil.py", .data = "x"}})), "zip_path_traversal");
  auto entries = inspectZip(rawZip({{.name = "lib\\util.py", .data = "x"}}), kDefaults, "");
  ASSERT_TRUE(entries);
  EXPECT_EQ((*entries)[0].path, "lib/util.py");
}

TEST(InspectZip, RefusesSymlinks) {
  EXPECT_EQ(refusal(deflateZip({{.path = "cloud.py", .data = "x"},
                                {.path = "passwd", .symlinkTarget = "/etc/passwd"}})),
            "zip_link");
  EXPECT_EQ(refusal(rawZip({{.name = "link", .data = "/etc/shadow", .mode = 0120777}})),
            "zip_link");
}

TEST(InspectZip, RefusesDevicesAndSockets) {
  EXPECT_EQ(refusal(rawZip({{.name = "tty", .data = "", .mode = 020666}})), "zip_special_file");
  EXPECT_EQ(refusal(rawZip({{.name = "disk", .data = "", .mode = 060660}})), "zip_special_file");
  EXPECT_EQ(refusal(rawZip({{.name = "sock", .data = "", .mode = 0140777}})), "zip_special_file");
}

// libarchive reads a fifo mode in a zip as a plain empty file; make sure that is what
// gets unpacked, never a fifo.
TEST(InspectZip, AFifoModeNeverBecomesAFifo) {
  const std::string zip = rawZip({{.name = "fifo", .data = "", .mode = 010644}});
  const std::string code = refusal(zip);
  if (code == "zip_special_file") return;
  ASSERT_EQ(code, "<accepted>");
  TempDir dir;
  ASSERT_TRUE(unpackZip(zip, dir.path() / "out", kDefaults));
  EXPECT_TRUE(std::filesystem::is_regular_file(
      std::filesystem::symlink_status(dir.path() / "out" / "fifo")));
}

TEST(InspectZip, RefusesEncryptedEntries) {
  EXPECT_EQ(refusal(rawZip({{.name = "secret.py", .data = "garbled", .flags = 1}})),
            "zip_encrypted");
}

TEST(InspectZip, RefusesTooManyEntries) {
  std::vector<ZipFile> files;
  for (int i = 0; i < 6; ++i) files.push_back({.path = "f" + std::to_string(i), .data = "x"});
  const std::string zip = deflateZip(files);
  EXPECT_EQ(refusal(zip, {.maxEntries = 5}), "zip_too_many_entries");
  EXPECT_EQ(refusal(zip, {.maxEntries = 6}), "<accepted>");
}

// 300 MiB of zeros in a few hundred KiB: refused by the running count of decompressed
// bytes against the default 250 MiB limit, not by anything the headers say.
TEST(InspectZip, RefusesAZipBomb) {
  const std::string bomb = zerosZip("cloud.py", 300);
  ASSERT_LT(bomb.size(), 2u << 20);
  auto inspected = inspectZip(bomb, kDefaults, "cloud.py");
  ASSERT_FALSE(inspected);
  EXPECT_EQ(inspected.error().code, "zip_too_large");
  EXPECT_EQ(inspected.error().kind, ErrorKind::invalid_argument);
}

TEST(InspectZip, CountsBytesAcrossEntries) {
  std::vector<ZipFile> files;
  for (int i = 0; i < 5; ++i) {
    files.push_back({.path = "part" + std::to_string(i), .data = std::string(300, 'z')});
  }
  const std::string zip = deflateZip(files);
  EXPECT_EQ(refusal(zip, {.maxUnpackedBytes = 1499}), "zip_too_large");
  EXPECT_EQ(refusal(zip, {.maxUnpackedBytes = 1500}), "<accepted>");
}

// The headers claim 10 bytes; the entry holds 100 KB. Whatever the reader makes of the
// mismatch, the zip must not pass as small.
TEST(InspectZip, DoesNotTrustTheSizeInTheHeaders) {
  const std::string liar =
      rawZip({{.name = "cloud.py", .data = std::string(100'000, 'A'), .claimedSize = 10}});
  const std::string code = refusal(liar, {.maxUnpackedBytes = 1000});
  EXPECT_TRUE(code == "zip_too_large" || code == "zip_corrupt") << code;
}

TEST(InspectZip, RefusesAMissingRequiredEntry) {
  const std::string zip =
      deflateZip({{.path = "main.py", .data = "x"}, {.path = "cloud.py/", .directory = true}});
  auto inspected = inspectZip(zip, kDefaults, "cloud.py");
  ASSERT_FALSE(inspected);
  EXPECT_EQ(inspected.error().code, "entry_not_found");
  EXPECT_NE(inspected.error().message.find("cloud.py"), std::string::npos);
}

TEST(InspectZip, RefusesCorruptBytes) {
  const std::string valid = deflateZip(
      {{.path = "cloud.py", .data = std::string(4000, 'q')}, {.path = "b.py", .data = "b"}});
  EXPECT_EQ(refusal(""), "zip_corrupt");
  EXPECT_EQ(refusal("this is not a zip file at all, not even close"), "zip_corrupt");
  EXPECT_EQ(refusal(valid.substr(0, valid.size() / 2)), "zip_corrupt");
  std::string garbage(4096, '\0');
  for (std::size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>(i * 7919);
  EXPECT_EQ(refusal(garbage), "zip_corrupt");
}

TEST(InspectZip, RefusesADataChecksumMismatch) {
  std::string zip = rawZip({{.name = "cloud.py", .data = "print('original')"}});
  const auto at = zip.find("original");
  ASSERT_NE(at, std::string::npos);
  zip[at] = 'O';
  EXPECT_EQ(refusal(zip), "zip_corrupt");
}

TEST(InspectZip, RefusesDuplicatesAndFilesUsedAsFolders) {
  EXPECT_EQ(refusal(rawZip({{.name = "a.py", .data = "1"}, {.name = "a.py", .data = "2"}})),
            "zip_duplicate_entry");
  EXPECT_EQ(refusal(rawZip({{.name = "a.py", .data = "1"}, {.name = "./a.py", .data = "2"}})),
            "zip_duplicate_entry");
  EXPECT_EQ(refusal(rawZip({{.name = "a", .data = "1"}, {.name = "a/b.py", .data = "2"}})),
            "zip_path_conflict");
  EXPECT_EQ(refusal(rawZip({{.name = "a/b.py", .data = "1"}, {.name = "a", .data = "2"}})),
            "zip_path_conflict");
}

TEST(InspectZip, RefusesAnUploadOverTheLimit) {
  const std::string zip = deflateZip({{.path = "cloud.py", .data = std::string(1000, 'r')}});
  auto inspected = inspectZip(zip, {.maxUploadBytes = 100}, "");
  ASSERT_FALSE(inspected);
  EXPECT_EQ(inspected.error().kind, ErrorKind::payload_too_large);
  EXPECT_EQ(inspected.error().code, "upload_too_large");
}

// ---- zipSingleFile

TEST(ZipSingleFile, MakesAZipHoldingJustThatFile) {
  auto zip = zipSingleFile("cloud.py", "print('hello')\n");
  ASSERT_TRUE(zip) << zip.error().describe();
  auto entries = inspectZip(*zip, kDefaults, "cloud.py");
  ASSERT_TRUE(entries) << entries.error().describe();
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].path, "cloud.py");
  EXPECT_EQ((*entries)[0].size, 15u);
}

TEST(ZipSingleFile, IsReproducible) {
  EXPECT_EQ(*zipSingleFile("cloud.py", "x = 1\n"), *zipSingleFile("cloud.py", "x = 1\n"));
  EXPECT_NE(*zipSingleFile("cloud.py", "x = 1\n"), *zipSingleFile("cloud.py", "x = 2\n"));
}

TEST(ZipSingleFile, HandlesEmptyAndLargeFiles) {
  auto empty = zipSingleFile("empty.py", "");
  ASSERT_TRUE(empty);
  EXPECT_EQ((*inspectZip(*empty, kDefaults, "empty.py"))[0].size, 0u);
  const std::string big(3u << 20, 'k');
  auto large = zipSingleFile("big.js", big);
  ASSERT_TRUE(large);
  EXPECT_LT(large->size(), 100'000u);
  EXPECT_EQ((*inspectZip(*large, kDefaults, "big.js"))[0].size, big.size());
}

TEST(ZipSingleFile, RefusesUnsafeNames) {
  for (const char* name : {"", "../x.py", "/abs.py", "a\\b.py", "./cloud.py", "dir/"}) {
    auto zip = zipSingleFile(name, "x");
    ASSERT_FALSE(zip) << name;
    EXPECT_EQ(zip.error().kind, ErrorKind::invalid_argument) << name;
  }
}

// ---- unpackZip

TEST(UnpackZip, UnpacksFilesAndFoldersWithFixedModes) {
  TempDir dir;
  const auto dest = dir.path() / "code" / "v1";
  // The zip asks for setuid, world-writable, and a folder nobody can enter. Only the
  // execute bit carries over (a custom runtime's bootstrap needs it).
  const std::string zip = rawZip({
      {.name = "cloud.py", .data = "print(1)", .mode = 0104777},
      {.name = "locked/", .data = "", .mode = 040000},
      {.name = "locked/inner.py", .data = "inner", .mode = 0100600},
      {.name = "implicit/parent/file.txt", .data = "deep", .mode = 0100666},
  });
  const mode_t previous = ::umask(077);  // must not matter
  auto unpacked = unpackZip(zip, dest, kDefaults);
  ::umask(previous);
  ASSERT_TRUE(unpacked) << unpacked.error().describe();

  EXPECT_EQ(readFile(dest / "cloud.py"), "print(1)");
  EXPECT_EQ(readFile(dest / "locked/inner.py"), "inner");
  EXPECT_EQ(readFile(dest / "implicit/parent/file.txt"), "deep");
  EXPECT_EQ(modeOf(dest), 0755u);
  EXPECT_EQ(modeOf(dest / "cloud.py"), 0755u);  // executable, but neither setuid nor writable
  EXPECT_EQ(modeOf(dest / "locked"), 0755u);
  EXPECT_EQ(modeOf(dest / "locked/inner.py"), 0644u);
  EXPECT_EQ(modeOf(dest / "implicit"), 0755u);
  EXPECT_EQ(modeOf(dest / "implicit/parent"), 0755u);
  EXPECT_EQ(modeOf(dest / "implicit/parent/file.txt"), 0644u);
}

TEST(UnpackZip, UnpacksADeflateZip) {
  TempDir dir;
  const std::string zip = deflateZip({{.path = "cloud.py", .data = std::string(10000, 'p')},
                                      {.path = "pkg/", .directory = true},
                                      {.path = "pkg/__init__.py", .data = ""}});
  ASSERT_TRUE(unpackZip(zip, dir.path() / "out", kDefaults));
  EXPECT_EQ(readFile(dir.path() / "out/cloud.py"), std::string(10000, 'p'));
  EXPECT_TRUE(std::filesystem::is_regular_file(dir.path() / "out/pkg/__init__.py"));
}

TEST(UnpackZip, DoesNothingWhenTheDestinationExists) {
  TempDir dir;
  const auto dest = dir.path() / "v1";
  ASSERT_TRUE(unpackZip(*zipSingleFile("cloud.py", "first"), dest, kDefaults));
  ASSERT_TRUE(unpackZip(*zipSingleFile("cloud.py", "second"), dest, kDefaults));
  EXPECT_EQ(readFile(dest / "cloud.py"), "first");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()),
                          std::filesystem::directory_iterator()),
            1);
}

TEST(UnpackZip, ARefusedZipLeavesNothingBehind) {
  TempDir dir;
  const auto dest = dir.path() / "v1";
  for (const std::string& zip :
       {rawZip({{.name = "ok.py", .data = "fine"}, {.name = "../escape.py", .data = "bad"}}),
        rawZip({{.name = "ok.py", .data = "fine"}, {.name = "link", .data = "/", .mode = 0120777}}),
        zerosZip("cloud.py", 300)}) {
    auto unpacked = unpackZip(zip, dest, kDefaults);
    ASSERT_FALSE(unpacked);
    EXPECT_EQ(unpacked.error().kind, ErrorKind::invalid_argument);
    EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << unpacked.error().code;
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path().parent_path() / "escape.py"));
}

TEST(UnpackZip, ChecksTheLimitsItIsGiven) {
  TempDir dir;
  const std::string zip = deflateZip({{.path = "a", .data = "1"}, {.path = "b", .data = "2"}});
  auto unpacked = unpackZip(zip, dir.path() / "v1", {.maxEntries = 1});
  ASSERT_FALSE(unpacked);
  EXPECT_EQ(unpacked.error().code, "zip_too_many_entries");
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

}  // namespace
}  // namespace stratus::blob
