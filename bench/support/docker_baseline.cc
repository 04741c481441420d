#include "support/docker_baseline.h"

#include <algorithm>
#include <numeric>
#include <set>
#include <sstream>

#include "common/crypto.h"
#include "support/child_process.h"

namespace stratus::bench {
namespace fs = std::filesystem;

namespace {

constexpr const char* kPython = "/usr/bin/python3";
constexpr const char* kImageRepository = "stratus-bench-python";

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r'))
    text.pop_back();
  return text;
}

std::string firstLine(const std::string& text) { return trimmed(text.substr(0, text.find('\n'))); }

struct PythonLayout {
  std::string version;  // "3.11.2"
  fs::path stdlib;      // /usr/lib/python3.11
  fs::path dynload;     // /usr/lib/python3.11/lib-dynload
};

Result<PythonLayout> pythonLayout() {
  auto run = runCommand({kPython, "-c",
                         "import sys, sysconfig\n"
                         "print(sys.version.split()[0])\n"
                         "print(sysconfig.get_paths()['stdlib'])\n"
                         "print(sysconfig.get_config_var('DESTSHARED'))\n"});
  if (!run) return std::unexpected(run.error());
  std::istringstream lines(run->out);
  PythonLayout layout;
  std::string stdlib, dynload;
  if (run->exitCode != 0 || !std::getline(lines, layout.version) || !std::getline(lines, stdlib) ||
      !std::getline(lines, dynload))
    return internalError(std::string(kPython) + " did not describe its layout: " + run->err);
  layout.stdlib = stdlib;
  layout.dynload = dynload;
  return layout;
}

// The absolute paths of the shared libraries (and the loader) ldd lists for `file`.
Result<std::vector<std::string>> lddLibraries(const fs::path& file) {
  auto run = runCommand({"ldd", file.string()});
  if (!run) return std::unexpected(run.error());
  std::vector<std::string> libraries;
  if (run->exitCode != 0) return libraries;  // "not a dynamic executable": nothing to copy
  std::istringstream lines(run->out);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("not found") != std::string::npos)
      return internalError("ldd " + file.string() + ": " + trimmed(line));
    // "libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x...)" or "/lib64/ld-linux... (0x...)"
    auto arrow = line.find("=> ");
    std::string rest = arrow == std::string::npos ? line : line.substr(arrow + 3);
    rest.erase(0, rest.find_first_not_of(" \t"));
    std::string path = rest.substr(0, rest.find(' '));
    if (path.starts_with('/')) libraries.push_back(path);
  }
  return libraries;
}

Status copyInto(const fs::path& root, const fs::path& hostPath, bool recursive) {
  std::error_code ec;
  const fs::path target = root / hostPath.relative_path();
  fs::create_directories(target.parent_path(), ec);
  if (recursive) {
    fs::copy(hostPath, target, fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
  } else {
    // Libraries are often symlinks (libz.so.1 -> libz.so.1.2.13): copy what they point to,
    // under the name the loader asks for.
    fs::copy_file(hostPath, target, fs::copy_options::overwrite_existing, ec);
  }
  if (ec) return sysError("copy " + hostPath.string(), ec.value());
  return {};
}

Result<std::string> imageTag(const PythonLayout& layout) {
  initCrypto();
  const fs::path binary = fs::canonical(kPython);
  const std::string bytes = readFile(binary);
  if (bytes.empty()) return internalError("cannot read " + binary.string());
  return std::string(kImageRepository) + ":" + layout.version + "-" +
         sha256Hex(bytes).substr(0, 12);
}

Status buildImage(const PythonLayout& layout, const std::string& tag) {
  ScratchDir scratch("stratus-docker-image");
  const fs::path root = scratch.path() / "rootfs";
  const fs::path binary = fs::canonical(kPython);  // /usr/bin/python3 -> python3.11
  if (auto ok = copyInto(root, binary, false); !ok) return ok;
  if (binary != fs::path(kPython)) {
    std::error_code ec;
    fs::create_symlink(binary.filename(), root / fs::path(kPython).relative_path(), ec);
    if (ec) return sysError("symlink python3", ec.value());
  }
  if (auto ok = copyInto(root, layout.stdlib, true); !ok) return ok;
  if (!fs::exists(root / layout.dynload.relative_path())) {
    if (auto ok = copyInto(root, layout.dynload, true); !ok) return ok;
  }
  std::set<std::string> libraries;
  std::vector<fs::path> linked{binary};
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(layout.dynload, ec)) {
    if (entry.path().extension() == ".so") linked.push_back(entry.path());
  }
  for (const auto& file : linked) {
    auto found = lddLibraries(file);
    if (!found) return std::unexpected(found.error());
    libraries.insert(found->begin(), found->end());
  }
  for (const auto& library : libraries) {
    if (auto ok = copyInto(root, library, false); !ok) return ok;
  }
  fs::create_directories(root / "tmp", ec);
  fs::create_directories(root / "code", ec);

  const fs::path tarball = scratch.path() / "rootfs.tar";
  auto tar = runCommand({"tar", "-C", root.string(), "-cf", tarball.string(), "."});
  if (!tar) return std::unexpected(tar.error());
  if (tar->exitCode != 0) return internalError("tar: " + firstLine(tar->err));
  auto imported = runCommand({"docker", "import", "--change", "LABEL org.stratus.bench=python",
                              tarball.string(), tag},
                             std::chrono::seconds(300));
  if (!imported) return std::unexpected(imported.error());
  if (imported->exitCode != 0) return internalError("docker import: " + firstLine(imported->err));
  return {};
}

}  // namespace

DockerStatus checkDocker() {
  DockerStatus status;
  if (!findExecutable("docker")) {
    status.reason = "docker is not installed";
    return status;
  }
  auto info = runCommand({"docker", "version", "--format", "{{.Server.Version}}"},
                         std::chrono::seconds(20));
  if (!info) {
    status.reason = info.error().message;
  } else if (info->exitCode != 0 || trimmed(info->out).empty()) {
    std::string why = firstLine(info->err.empty() ? info->out : info->err);
    status.reason = "the docker daemon does not answer (" + why + ")";
  } else {
    status.usable = true;
    status.serverVersion = trimmed(info->out);
  }
  return status;
}

Result<std::string> ensurePythonImage() {
  auto layout = pythonLayout();
  if (!layout) return propagate(layout.error(), "describe the host's python");
  auto tag = imageTag(*layout);
  if (!tag) return tag;
  auto inspect = runCommand({"docker", "image", "inspect", "--format", "{{.Id}}", *tag});
  if (!inspect) return std::unexpected(inspect.error());
  if (inspect->exitCode == 0) return tag;  // built by an earlier run
  if (auto ok = buildImage(*layout, *tag); !ok) return propagate(ok.error(), "build " + *tag);
  return tag;
}

Result<DockerTiming> timeDockerRuns(const std::string& image, const fs::path& codeDir,
                                    const std::string& script, const std::vector<std::string>& args,
                                    const std::string& expectOutput, int calls) {
  std::vector<std::string> argv{"docker", "run", "--rm", "-v", codeDir.string() + ":/code:ro",
                                image, "/usr/bin/python3", "/code/" + script};
  argv.insert(argv.end(), args.begin(), args.end());
  DockerTiming timing;
  for (const auto& a : argv) timing.command += (timing.command.empty() ? "" : " ") + a;
  std::vector<double> ms;
  for (int i = 0; i <= calls; ++i) {  // call 0 is unmeasured: first use of the image
    auto run = runCommand(argv, std::chrono::seconds(60));
    if (!run) return std::unexpected(run.error());
    if (run->exitCode != 0 || run->out.find(expectOutput) == std::string::npos)
      return internalError("docker run exited with " + std::to_string(run->exitCode) + ": " +
                           firstLine(run->err.empty() ? run->out : run->err));
    if (i > 0) ms.push_back(std::chrono::duration<double, std::milli>(run->elapsed).count());
  }
  if (ms.empty()) return timing;
  std::sort(ms.begin(), ms.end());
  timing.calls = static_cast<int>(ms.size());
  const std::size_t n = ms.size();
  timing.medianMs = n % 2 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
  timing.minMs = ms.front();
  timing.maxMs = ms.back();
  timing.meanMs = std::accumulate(ms.begin(), ms.end(), 0.0) / double(n);
  return timing;
}

}  // namespace stratus::bench
