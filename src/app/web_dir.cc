#include "app/web_dir.h"

#include <system_error>

namespace stratus::app {

std::optional<WebDirChoice> chooseWebDir(
    const std::filesystem::path& given, const std::filesystem::path& exeDir,
    const std::function<bool(const std::filesystem::path&)>& hasIndex) {
  if (given == "off") return std::nullopt;
  if (!given.empty()) return WebDirChoice{given, true};
  if (exeDir.empty()) return std::nullopt;
  for (const auto& candidate :
       {exeDir / ".." / "web", exeDir / ".." / "share" / "stratus" / "web"}) {
    auto folder = candidate.lexically_normal();
    if (hasIndex(folder)) return WebDirChoice{folder, false};
  }
  return std::nullopt;
}

std::filesystem::path executableDir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  return exe.parent_path();
}

}  // namespace stratus::app
