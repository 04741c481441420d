// The docker integration tests' image: the static guest program (tests/fixtures/docker) as
// /guest in an otherwise empty root, imported through the Engine API under a tag of this
// process's own, and removed again when the suite ends.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "docker/docker_client.h"
#include "testing/temp_dir.h"

namespace stratus::docker::testing {

inline constexpr const char* kTestLabel = "org.stratus.test";

// A root folder holding /guest and the mount points a container wants.
inline std::filesystem::path makeGuestRoot(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  const fs::path root = dir / "root";
  for (const char* folder : {"etc", "tmp", "proc", "dev", "sys", "var/task"}) {
    fs::create_directories(root / folder);
  }
  fs::copy_file(DOCKER_TEST_GUEST, root / "guest");
  fs::permissions(root / "tmp", fs::perms::all | fs::perms::sticky_bit);
  return root;
}

// Tars the root into a file; empty on failure.
inline std::string tarOf(const std::filesystem::path& root, const std::filesystem::path& dir) {
  const std::string tarPath = (dir / "root.tar").string();
  const std::string command =
      "tar --numeric-owner -C '" + root.string() + "' -cf '" + tarPath + "' .";
  return std::system(command.c_str()) == 0 ? tarPath : std::string();
}

inline std::string uniqueTag(const std::string& what) {
  return what + "-" + std::to_string(::getpid());
}

}  // namespace stratus::docker::testing
