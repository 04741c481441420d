// The bootstraps of the built-in runtimes (runtimes/python, runtimes/node), compiled into
// the binary so a server needs nothing installed beside it. Executors write them into a
// root-owned folder that instances see read-only at /opt/stratus.
#pragma once

#include <filesystem>
#include <span>
#include <string_view>

#include "common/error.h"

namespace stratus::exec {

struct EmbeddedFile {
  std::string_view path;  // relative: "python/bootstrap.py"
  std::string_view content;
};

std::span<const EmbeddedFile> runtimeFiles();

// Writes every file under `dir` (created 0755), each 0644, replacing what is there.
Status writeRuntimeFiles(const std::filesystem::path& dir);

}  // namespace stratus::exec
