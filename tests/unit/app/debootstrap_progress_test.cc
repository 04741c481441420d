// Condensing debootstrap's output, on lines as debootstrap 1.0.128 writes them.
#include "app/debootstrap_progress.h"

#include <gtest/gtest.h>

namespace stratus::app {
namespace {

using Kind = ProgressUpdate::Kind;

}  // namespace

void PrintTo(const ProgressUpdate& update, std::ostream* out) {
  *out << "{" << static_cast<int>(update.kind) << ", \"" << update.text << "\"}";
}

namespace {

TEST(DebootstrapLine, Parses) {
  auto line = parseDebootstrapLine("I: Retrieving libc6 2.36-9+deb12u4\n");
  EXPECT_EQ(line.level, 'I');
  EXPECT_EQ(line.step, "retrieving");
  EXPECT_EQ(line.subject, "libc6 2.36-9+deb12u4");
  EXPECT_EQ(parseDebootstrapLine("I: Unpacking zlib1g:amd64...").subject, "zlib1g:amd64");
  EXPECT_EQ(parseDebootstrapLine("W: Failure trying to run: chroot x").level, 'W');
  EXPECT_EQ(parseDebootstrapLine("W: Failure trying to run: chroot x").text,
            "Failure trying to run: chroot x");
  EXPECT_EQ(parseDebootstrapLine("Setting up libc6 ...").level, 0);
  EXPECT_EQ(parseDebootstrapLine("").level, 0);
}

std::vector<ProgressUpdate> feed(DebootstrapProgress& progress,
                                 const std::vector<std::string>& lines) {
  std::vector<ProgressUpdate> all;
  for (const auto& line : lines) {
    for (auto& update : progress.consume(line)) all.push_back(std::move(update));
  }
  return all;
}

TEST(DebootstrapProgress, CountsPackagesAndSummarisesEachStep) {
  DebootstrapProgress progress;
  auto updates = feed(progress, {
                                    "I: Retrieving InRelease ",
                                    "I: Retrieving Packages ",
                                    "I: Validating Packages ",
                                    "I: Checking component main on http://mirror.example/debian...",
                                    "I: Retrieving adduser 3.134",
                                    "I: Validating adduser 3.134",
                                    "I: Retrieving apt 2.6.1",
                                    "I: Validating apt 2.6.1",
                                    "I: Chosen extractor for .deb packages: dpkg-deb",
                                    "I: Extracting adduser...",
                                    "I: Extracting apt...",
                                    "I: Unpacking required packages...",
                                    "I: Unpacking adduser...",
                                    "Selecting previously unselected package adduser.",
                                    "I: Configuring required packages...",
                                    "I: Configuring adduser...",
                                    "I: Base system installed successfully.",
                                });
  const std::vector<ProgressUpdate> expected = {
      {Kind::line, "Retrieving InRelease"},
      {Kind::line, "Retrieving Packages"},
      {Kind::line, "Validating Packages"},
      {Kind::line, "Checking component main on http://mirror.example/debian"},
      {Kind::status, "retrieving packages: 1 (adduser)"},
      {Kind::status, "retrieving packages: 2 (apt)"},
      {Kind::line, "retrieving packages: 2"},
      {Kind::line, "Chosen extractor for .deb packages: dpkg-deb"},
      {Kind::status, "extracting packages: 1 (adduser)"},
      {Kind::status, "extracting packages: 2 (apt)"},
      {Kind::line, "extracting packages: 2"},
      {Kind::line, "Unpacking required packages"},
      {Kind::status, "unpacking packages: 1 (adduser)"},
      {Kind::line, "unpacking packages: 1"},
      {Kind::line, "Configuring required packages"},
      {Kind::status, "configuring packages: 1 (adduser)"},
      {Kind::line, "configuring packages: 1"},
      {Kind::line, "Base system installed successfully"},
  };
  EXPECT_EQ(updates, expected);
}

TEST(DebootstrapProgress, WarningsAndErrorsAreAlwaysShown) {
  DebootstrapProgress progress;
  auto updates =
      feed(progress, {"I: Retrieving adduser 3.134", "W: Couldn't download package libfoo",
                      "E: Couldn't find these debs: python3"});
  ASSERT_EQ(updates.size(), 3u);
  EXPECT_EQ(updates[1], (ProgressUpdate{Kind::note, "W: Couldn't download package libfoo"}));
  EXPECT_EQ(updates[2], (ProgressUpdate{Kind::note, "E: Couldn't find these debs: python3"}));
}

TEST(DebootstrapProgress, KeepsTheLastLinesForAFailure) {
  DebootstrapProgress progress;
  for (int i = 0; i < 100; ++i) progress.consume("dpkg: line " + std::to_string(i));
  progress.consume("   ");
  ASSERT_EQ(progress.recentLines().size(), 25u);
  EXPECT_EQ(progress.recentLines().back(), "dpkg: line 99");
  EXPECT_EQ(progress.recentLines().front(), "dpkg: line 75");
}

}  // namespace
}  // namespace stratus::app
