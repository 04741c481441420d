// Finding the machine's Debian mirror in its apt sources, both formats, on literal text.
#include "app/apt_sources.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "testing/temp_dir.h"

namespace stratus::app {
namespace {

// Debian 12's default file, with a snapshot comment as cloud images write it.
constexpr const char* kDebianSources = R"(Types: deb
# http://snapshot.example/archive/debian/20250520T000000Z
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
)";

TEST(AptSources, Deb822) {
  EXPECT_EQ(mirrorFromDeb822(kDebianSources, "bookworm"), "http://mirror.example/debian");
  // Another release on the machine: any release suite's mirror serves bookworm too.
  EXPECT_EQ(mirrorFromDeb822(kDebianSources, "trixie"), "http://mirror.example/debian");
}

TEST(AptSources, Deb822PrefersTheExactSuite) {
  const char* text = R"(Types: deb
URIs: https://other.example/debian/
Suites: sid

Types: deb-src deb
URIs: https://mine.example/debian/
Suites: bookworm
)";
  EXPECT_EQ(mirrorFromDeb822(text, "bookworm"), "https://mine.example/debian");
  EXPECT_EQ(mirrorFromDeb822(text, "trixie"), "https://other.example/debian");
}

TEST(AptSources, Deb822SkipsWhatDebootstrapCannotUse) {
  const char* text = R"(Types: deb-src
URIs: http://source-only.example/debian
Suites: bookworm

Types: deb
URIs: http://disabled.example/debian
Suites: bookworm
Enabled: no

Types: deb
URIs: mirror+file:///etc/apt/mirrors.txt cdrom:[Debian]/
Suites: bookworm

Types: deb
URIs: http://security.example/debian-security
Suites: bookworm-security
)";
  EXPECT_EQ(mirrorFromDeb822(text, "bookworm"), std::nullopt);
  EXPECT_EQ(mirrorFromDeb822("", "bookworm"), std::nullopt);
  EXPECT_EQ(mirrorFromDeb822("garbage without colons\n\n::\n", "bookworm"), std::nullopt);
}

TEST(AptSources, Deb822FieldNamesAnyCaseAndContinuationLines) {
  const char* text =
      "types: deb\nuris:\n  http://a.example/debian\n  http://b.example/debian\n"
      "SUITES: bookworm\n";
  EXPECT_EQ(mirrorFromDeb822(text, "bookworm"), "http://a.example/debian");
}

TEST(AptSources, OneLine) {
  const char* text = R"(# deb cdrom:[Debian GNU/Linux 12]/ bookworm main
deb http://security.example/debian-security bookworm-security main
deb-src http://src.example/debian bookworm main
deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://mirror.example/debian/ bookworm main contrib
deb http://other.example/debian bookworm-backports main
)";
  EXPECT_EQ(mirrorFromOneLine(text, "bookworm"), "http://mirror.example/debian");
  EXPECT_EQ(mirrorFromOneLine("deb file:/srv/mirror stable main\n", "bookworm"),
            "file:/srv/mirror");
  EXPECT_EQ(mirrorFromOneLine("deb [broken http://x.example/debian bookworm main\n", "bookworm"),
            std::nullopt);
  EXPECT_EQ(mirrorFromOneLine("deb http://only-a-uri.example\n", "bookworm"), std::nullopt);
}

TEST(AptSources, FindsItInAnAptFolder) {
  testing::TempDir apt;
  std::filesystem::create_directories(apt.path() / "sources.list.d");
  EXPECT_EQ(findDebianMirror("bookworm", apt.path().string()).error().code, "no_debian_mirror");

  std::ofstream(apt.path() / "sources.list") << "deb http://legacy.example/debian bookworm main\n";
  EXPECT_EQ(*findDebianMirror("bookworm", apt.path().string()), "http://legacy.example/debian");

  std::ofstream(apt.path() / "sources.list.d" / "debian.sources") << kDebianSources;
  EXPECT_EQ(*findDebianMirror("bookworm", apt.path().string()), "http://mirror.example/debian");
}

}  // namespace
}  // namespace stratus::app
