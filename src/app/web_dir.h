// Which dashboard folder `stratus serve` serves. Pure over a probe, so the choice is
// unit-tested without folders.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>

namespace stratus::app {

struct WebDirChoice {
  std::filesystem::path dir;
  bool given = false;  // named by the operator: failing to load it stops the server
};

// Nothing when `given` is "off" (an API-only server). `given` (--web-dir /
// STRATUS_WEB_DIR) when not empty. Otherwise the first of
// <exeDir>/../web (a build tree: the binary is build/src/stratus, the dashboard is built to
// build/web) and <exeDir>/../share/stratus/web (an installed prefix) for which
// hasIndex(folder) is true; nullopt when neither has a dashboard.
std::optional<WebDirChoice> chooseWebDir(
    const std::filesystem::path& given, const std::filesystem::path& exeDir,
    const std::function<bool(const std::filesystem::path&)>& hasIndex);

// The folder of the running executable (/proc/self/exe), or empty if unknown.
std::filesystem::path executableDir();

}  // namespace stratus::app
