#include "nanos/ldd.h"

#include <set>

#include "nanos/process.h"

namespace stratus::nanos {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

// "/path (0x00007f...)" -> "/path"; "(0x...)" alone (the vDSO) -> "".
std::string_view pathPart(std::string_view text) {
  text = trim(text);
  if (auto paren = text.rfind(" ("); paren != std::string_view::npos) text = text.substr(0, paren);
  if (!text.empty() && text.front() == '(') return {};
  return trim(text);
}

}  // namespace

Result<std::vector<std::string>> parseLddOutput(std::string_view text) {
  std::vector<std::string> libraries;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (line.empty() || line == "statically linked" || line.find("not a dynamic executable") != std::string_view::npos)
      continue;
    std::string_view path;
    if (auto arrow = line.find("=>"); arrow != std::string_view::npos) {
      std::string_view target = trim(line.substr(arrow + 2));
      if (target.starts_with("not found"))
        return fail(ErrorKind::unavailable, "missing_library",
                    "the host lacks the shared library " + std::string(trim(line.substr(0, arrow))));
      path = pathPart(target);
    } else {
      path = pathPart(line);  // the loader: "/lib64/ld-linux-x86-64.so.2 (0x...)"
    }
    if (path.empty() || path.front() != '/') continue;  // linux-vdso.so.1 and the like
    libraries.emplace_back(path);
  }
  return libraries;
}

Result<std::vector<std::string>> sharedLibraries(const std::vector<std::string>& programs) {
  std::vector<std::string> all;
  std::set<std::string> seen;
  for (const auto& program : programs) {
    auto output = runProgram({"ldd", program});
    if (!output) return propagate(output.error(), "ldd " + program);
    auto libraries = parseLddOutput(*output);
    if (!libraries) return propagate(libraries.error(), "ldd " + program);
    for (auto& library : *libraries)
      if (seen.insert(library).second) all.push_back(std::move(library));
  }
  return all;
}

}  // namespace stratus::nanos
