#include "exec/runtime_files.h"

#include <fstream>

namespace stratus::exec {
namespace fs = std::filesystem;

Status writeRuntimeFiles(const fs::path& dir) {
  for (const auto& file : runtimeFiles()) {
    fs::path target = dir / file.path;
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec) return sysError("create " + target.parent_path().string(), ec.value());
    fs::permissions(target.parent_path(), fs::perms(0755), ec);
    // Written beside and renamed: an instance starting now sees the old file or the new
    // one, never half of either.
    fs::path partial = target;
    partial += ".partial";
    {
      std::ofstream out(partial, std::ios::binary | std::ios::trunc);
      out.write(file.content.data(), static_cast<std::streamsize>(file.content.size()));
      if (!out) return sysError("write " + partial.string(), errno);
    }
    fs::permissions(partial, fs::perms(0644), ec);
    fs::rename(partial, target, ec);
    if (ec) return sysError("install " + target.string(), ec.value());
  }
  return {};
}

}  // namespace stratus::exec
