#include "nanos/install.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "nanos/process.h"

namespace stratus::nanos {
namespace {

std::string trimmed(std::string text) {
  auto space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  while (!text.empty() && space(text.back())) text.pop_back();
  std::size_t start = 0;
  while (start < text.size() && space(text[start])) ++start;
  return text.substr(start);
}

std::string parentOf(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
}

}  // namespace

NanosInstall locateNanos(const Probe& probe) {
  NanosInstall found;
  auto env = [&](const char* name) { return probe.env(name).value_or(""); };

  // The ops directory: ${OPS_HOME:-$HOME}/.ops, with latest.txt naming the version.
  std::string opsHome = env("OPS_HOME");
  if (opsHome.empty()) opsHome = env("HOME");
  std::string versionDir;
  if (!opsHome.empty()) {
    std::string ops = opsHome + "/.ops";
    if (auto latest = probe.readFile(ops + "/latest.txt")) {
      std::string version = trimmed(*latest);
      if (!version.empty() && version.find('/') == std::string::npos && version != "." &&
          version != "..") {
        found.version = version;
        versionDir = ops + "/" + version;
      }
    }
  }

  if (std::string kernel = env("NANOS_KERNEL"); !kernel.empty()) {
    if (probe.isFile(kernel)) found.kernel = kernel;
    else found.missing.push_back("NANOS_KERNEL names " + kernel + ", which is not a file");
  } else if (!versionDir.empty() && probe.isFile(versionDir + "/kernel.img")) {
    found.kernel = versionDir + "/kernel.img";
  } else {
    found.missing.push_back(
        "no Nanos kernel found (set NANOS_KERNEL, or install one with ops: "
        "${OPS_HOME:-$HOME}/.ops/latest.txt names its folder)");
  }
  std::string kernelDir = found.kernel.empty() ? versionDir : parentOf(found.kernel);

  if (std::string boot = env("NANOS_BOOT"); !boot.empty()) {
    if (probe.isFile(boot)) found.boot = boot;
    else found.missing.push_back("NANOS_BOOT names " + boot + ", which is not a file");
  } else if (!kernelDir.empty() && probe.isFile(kernelDir + "/boot.img")) {
    found.boot = kernelDir + "/boot.img";
  } else {
    found.missing.push_back("no Nanos boot image found (set NANOS_BOOT, or put boot.img beside the kernel)");
  }

  if (std::string mkfs = env("NANOS_MKFS"); !mkfs.empty()) {
    if (probe.isFile(mkfs)) found.mkfs = mkfs;
    else found.missing.push_back("NANOS_MKFS names " + mkfs + ", which is not a file");
  } else if (!kernelDir.empty() && probe.isFile(kernelDir + "/mkfs")) {
    found.mkfs = kernelDir + "/mkfs";
  } else {
    for (const auto& candidate : probe.onPath("mkfs"))
      if (probe.isNanosMkfs(candidate)) {
        found.mkfs = candidate;
        break;
      }
    if (found.mkfs.empty())
      found.missing.push_back(
          "no Nanos mkfs found (set NANOS_MKFS; the mkfs built with the Nanos kernel from its "
          "sources, tools/mkfs)");
  }

  if (std::string qemu = env("NANOS_QEMU"); !qemu.empty()) {
    if (probe.isFile(qemu)) found.qemu = qemu;
    else found.missing.push_back("NANOS_QEMU names " + qemu + ", which is not a file");
  } else if (auto onPath = probe.onPath("qemu-system-x86_64"); !onPath.empty()) {
    found.qemu = onPath.front();
  } else {
    found.missing.push_back("no qemu-system-x86_64 found (install Debian's qemu-system-x86)");
  }
  found.kvm = probe.kvmUsable();
  return found;
}

Probe hostProbe() {
  Probe probe;
  probe.env = [](const std::string& name) -> std::optional<std::string> {
    const char* value = ::getenv(name.c_str());
    if (!value) return std::nullopt;
    return std::string(value);
  };
  probe.isFile = [](const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
  };
  probe.readFile = [](const std::string& path) -> std::optional<std::string> {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  probe.onPath = [](const std::string& name) {
    std::vector<std::string> found;
    const char* path = ::getenv("PATH");
    std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= dirs.size()) {
      std::size_t end = dirs.find(':', start);
      if (end == std::string::npos) end = dirs.size();
      std::string dir = dirs.substr(start, end - start);
      start = end + 1;
      if (dir.empty()) continue;
      std::string candidate = dir + "/" + name;
      if (::access(candidate.c_str(), X_OK) == 0) found.push_back(candidate);
    }
    return found;
  };
  probe.isNanosMkfs = [](const std::string& path) {
    // Nanos's mkfs, run without arguments, prints a usage naming its manifest on stdin and
    // exits 1; util-linux's mkfs names a device instead.
    auto output = runProgram({path});
    std::string text = output ? *output : output.error().message;
    return text.find("manifest-file") != std::string::npos;
  };
  probe.kvmUsable = [] {
    int fd = ::open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd < 0) return false;
    ::close(fd);
    return true;
  };
  return probe;
}

std::string missingSummary(const NanosInstall& install) {
  std::string summary;
  for (const auto& line : install.missing) summary += (summary.empty() ? "" : "; ") + line;
  return summary;
}

}  // namespace stratus::nanos
