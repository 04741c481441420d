#include "exec/sandbox/cgroup.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <charconv>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace stratus::exec::sandbox {
namespace fs = std::filesystem;
namespace {

// The v1 controllers we need; "cpu" is usually a symlink to "cpu,cpuacct".
constexpr const char* kV1Controllers[] = {"memory", "pids", "cpu"};

Status writeFile(const fs::path& path, std::string_view value) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return sysError("open " + path.string(), errno);
  ssize_t n = ::write(fd, value.data(), value.size());
  int err = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(value.size())) return sysError("write " + path.string(), err);
  return {};
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<int64_t> toInt(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  while (!text.empty() && (text.front() == '\n' || text.front() == ' ')) text.remove_prefix(1);
  return text;
}

// The whole of a small kernel-generated file through a kept descriptor.
std::string readAt0(const UniqueFd& fd) {
  if (!fd.valid()) return {};
  char buffer[4096];
  ssize_t n = ::pread(fd.get(), buffer, sizeof buffer, 0);
  return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
}

void removeTree(const fs::path& dir) {
  // cgroupfs directories are removed with rmdir, deepest first; files in them cannot be
  // unlinked (and need not be).
  std::error_code ec;
  for (auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_directory(ec)) removeTree(entry.path());
  ::rmdir(dir.c_str());
}

}  // namespace

std::optional<int64_t> parseFlatKey(std::string_view text, std::string_view key) {
  while (!text.empty()) {
    auto eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    auto space = line.find(' ');
    if (space != std::string_view::npos && line.substr(0, space) == key)
      return toInt(trim(line.substr(space + 1)));
  }
  return std::nullopt;
}

std::optional<int64_t> parseSingleValue(std::string_view text) { return toInt(trim(text)); }

std::vector<pid_t> parseProcs(std::string_view text) {
  std::vector<pid_t> pids;
  while (!text.empty()) {
    auto eol = text.find('\n');
    if (auto value = toInt(trim(text.substr(0, eol))); value && *value > 0)
      pids.push_back(static_cast<pid_t>(*value));
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
  }
  return pids;
}

Result<CgroupVersion> detectCgroupVersion(const fs::path& root) {
  struct statfs info {};
  if (::statfs(root.c_str(), &info) != 0) return sysError("statfs " + root.string(), errno);
  if (info.f_type == CGROUP2_SUPER_MAGIC) return CgroupVersion::v2;
  for (const char* controller : kV1Controllers) {
    struct statfs sub {};
    if (::statfs((root / controller).c_str(), &sub) != 0 || sub.f_type != CGROUP_SUPER_MAGIC)
      return fail(ErrorKind::unavailable, "cgroups_unavailable",
                  "cgroup v1 controller '" + std::string(controller) + "' is not mounted at " +
                      (root / controller).string());
  }
  return CgroupVersion::v1;
}

Result<Cgroup> Cgroup::create(CgroupVersion version, const std::string& parent,
                              const std::string& name, const CgroupLimits& limits,
                              const fs::path& root) {
  std::vector<fs::path> dirs;
  if (version == CgroupVersion::v1) {
    for (const char* controller : kV1Controllers) dirs.push_back(root / controller / parent / name);
  } else {
    // v2: controllers must be enabled for children at every level above the run's cgroup.
    (void)writeFile(root / "cgroup.subtree_control", "+memory +pids +cpu");
    std::error_code ec;
    fs::create_directories(root / parent, ec);
    (void)writeFile(root / parent / "cgroup.subtree_control", "+memory +pids +cpu");
    dirs.push_back(root / parent / name);
  }
  for (auto& dir : dirs) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return sysError("create cgroup " + dir.string(), ec.value());
  }
  Cgroup cgroup(version, dirs);
  auto set = [&](const fs::path& file, const std::string& value) -> Status {
    if (auto ok = writeFile(file, value); !ok) return propagate(ok.error(), "set cgroup limit");
    return {};
  };
  std::string memory = std::to_string(limits.memoryBytes);
  std::string pids = std::to_string(limits.pidsMax);
  std::string quota = std::to_string(100000LL * limits.cpuPercent / 100);
  Status ok;
  if (version == CgroupVersion::v1) {
    ok = set(dirs[0] / "memory.limit_in_bytes", memory);
    // With swap accounting on, memsw caps memory+swap so swapping cannot stretch the limit.
    if (ok && fs::exists(dirs[0] / "memory.memsw.limit_in_bytes"))
      ok = set(dirs[0] / "memory.memsw.limit_in_bytes", memory);
    if (ok) ok = set(dirs[1] / "pids.max", pids);
    if (ok) ok = set(dirs[2] / "cpu.cfs_period_us", "100000");
    if (ok) ok = set(dirs[2] / "cpu.cfs_quota_us", quota);
  } else {
    ok = set(dirs[0] / "memory.max", memory);
    if (ok && fs::exists(dirs[0] / "memory.swap.max")) ok = set(dirs[0] / "memory.swap.max", "0");
    if (ok) ok = set(dirs[0] / "pids.max", pids);
    if (ok) ok = set(dirs[0] / "cpu.max", quota + " 100000");
  }
  if (!ok) return std::unexpected(ok.error());
  if (limits.cpuWeight != 100)
    if (auto weighted = cgroup.setCpuWeight(limits.cpuWeight); !weighted)
      return propagate(weighted.error(), "set cgroup cpu weight");
  return cgroup;
}

Cgroup::Cgroup(Cgroup&& other) noexcept
    : version_(other.version_), dirs_(std::move(other.dirs_)) {
  other.dirs_.clear();
}

Cgroup::~Cgroup() { remove(); }

fs::path Cgroup::memoryDir() const { return dirs_.front(); }

Status Cgroup::addProcess(pid_t pid) const {
  std::string text = std::to_string(pid);
  for (auto& dir : dirs_)
    if (auto ok = writeFile(dir / "cgroup.procs", text); !ok)
      return propagate(ok.error(), "join cgroup");
  return {};
}

CgroupUsage MemoryReader::usage() const {
  CgroupUsage usage;
  if (dir.empty()) return usage;
  if (version == CgroupVersion::v1) {
    usage.memoryPeakBytes =
        parseSingleValue(readFile(dir / "memory.max_usage_in_bytes")).value_or(0);
    usage.oomKills = parseFlatKey(readFile(dir / "memory.oom_control"), "oom_kill").value_or(0);
  } else {
    usage.memoryPeakBytes = parseSingleValue(readFile(dir / "memory.peak")).value_or(0);
    usage.oomKills = parseFlatKey(readFile(dir / "memory.events"), "oom_kill").value_or(0);
  }
  return usage;
}

CgroupProbe CgroupProbe::open(CgroupVersion version, const fs::path& memoryDir,
                              const fs::path& pidsDir) {
  CgroupProbe probe;
  probe.version_ = version;
  bool v1 = version == CgroupVersion::v1;
  // Writable where the kernel allows it (v2's memory.peak only from 6.12), read-only else.
  fs::path peak = memoryDir / (v1 ? "memory.max_usage_in_bytes" : "memory.peak");
  probe.peak_.reset(::open(peak.c_str(), O_RDWR | O_CLOEXEC));
  if (!probe.peak_.valid()) probe.peak_.reset(::open(peak.c_str(), O_RDONLY | O_CLOEXEC));
  probe.oom_.reset(::open((memoryDir / (v1 ? "memory.oom_control" : "memory.events")).c_str(),
                          O_RDONLY | O_CLOEXEC));
  probe.tasks_.reset(::open((pidsDir / "pids.current").c_str(), O_RDONLY | O_CLOEXEC));
  return probe;
}

CgroupProbe Cgroup::probe() const {
  if (dirs_.empty()) return {};
  return CgroupProbe::open(version_, memoryDir(),
                           version_ == CgroupVersion::v1 ? dirs_[1] : dirs_.front());
}

std::size_t countProcesses(const fs::path& dir) {
  return parseProcs(readFile(dir / "cgroup.procs")).size();
}

bool LeftoverCheck::idle() {
  auto tasks = probe_.tasks();
  if (tasks && *tasks == idleTasks_) return true;
  if (countProcesses(procsDir_) > idleProcesses_) return false;
  idleTasks_ = tasks.value_or(-1);
  return true;
}

CgroupUsage CgroupProbe::usage() const {
  return {parseSingleValue(readAt0(peak_)).value_or(0), oomKills()};
}

int64_t CgroupProbe::oomKills() const {
  return parseFlatKey(readAt0(oom_), "oom_kill").value_or(0);
}

void CgroupProbe::resetPeak() const {
  // v2 (6.12+) resets the peak as seen through the descriptor written to, which is the one
  // read after the call: the per-invocation peak wanted. Older kernels refuse the write.
  if (!peak_.valid()) return;
  if (version_ == CgroupVersion::v1) (void)!::pwrite(peak_.get(), "0", 1, 0);
  else (void)!::pwrite(peak_.get(), "r", 1, 0);
}

std::optional<int64_t> CgroupProbe::tasks() const {
  if (!tasks_.valid()) return std::nullopt;
  return parseSingleValue(readAt0(tasks_));
}

CgroupUsage Cgroup::usage() const {
  if (dirs_.empty()) return {};
  return memoryReader().usage();
}

Status Cgroup::setMemoryLimit(int64_t bytes) const {
  if (dirs_.empty()) return internalError("cgroup already removed");
  std::string value = std::to_string(bytes);
  if (version_ == CgroupVersion::v2) return writeFile(memoryDir() / "memory.max", value);
  // v1 refuses a memsw limit below the memory limit and a memory limit above memsw: order
  // the two writes by direction.
  fs::path memsw = memoryDir() / "memory.memsw.limit_in_bytes";
  bool hasMemsw = fs::exists(memsw);
  int64_t current = parseSingleValue(readFile(memoryDir() / "memory.limit_in_bytes")).value_or(0);
  if (hasMemsw && bytes > current)
    if (auto ok = writeFile(memsw, value); !ok) return ok;
  if (auto ok = writeFile(memoryDir() / "memory.limit_in_bytes", value); !ok) return ok;
  if (hasMemsw && bytes <= current) return writeFile(memsw, value);
  return {};
}

Status Cgroup::setCpuWeight(int weight) const {
  if (dirs_.empty()) return internalError("cgroup already removed");
  weight = std::clamp(weight, 1, 10000);
  if (version_ == CgroupVersion::v2) return writeFile(dirs_[0] / "cpu.weight", std::to_string(weight));
  return writeFile(dirs_[2] / "cpu.shares", std::to_string(std::max(2, weight * 1024 / 100)));
}

int64_t memoryCurrentBytes(CgroupVersion version, const fs::path& memoryDir) {
  const char* file = version == CgroupVersion::v1 ? "memory.usage_in_bytes" : "memory.current";
  return parseSingleValue(readFile(memoryDir / file)).value_or(0);
}

int64_t Cgroup::memoryCurrentBytes() const {
  if (dirs_.empty()) return 0;
  return sandbox::memoryCurrentBytes(version_, memoryDir());
}

std::size_t Cgroup::processCount() const {
  if (dirs_.empty()) return 0;
  return countProcesses(dirs_.front());
}

void Cgroup::killAll() const {
  if (dirs_.empty()) return;
  if (version_ == CgroupVersion::v2 && fs::exists(dirs_[0] / "cgroup.kill")) {
    (void)writeFile(dirs_[0] / "cgroup.kill", "1");
    return;
  }
  for (auto& dir : dirs_)
    for (pid_t pid : parseProcs(readFile(dir / "cgroup.procs"))) ::kill(pid, SIGKILL);
}

void Cgroup::remove() {
  if (dirs_.empty()) return;
  // Processes killed a moment ago may still be exiting; rmdir fails with EBUSY until the
  // cgroup is empty.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (auto& dir : dirs_) {
    while (::rmdir(dir.c_str()) != 0 && errno == EBUSY &&
           std::chrono::steady_clock::now() < deadline) {
      killAll();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  dirs_.clear();
}

void Cgroup::removeStale(CgroupVersion version, const std::string& parent, const fs::path& root) {
  std::vector<fs::path> parents;
  if (version == CgroupVersion::v1)
    for (const char* controller : kV1Controllers) parents.push_back(root / controller / parent);
  else
    parents.push_back(root / parent);
  std::error_code ec;
  for (auto& dir : parents)
    for (auto& entry : fs::directory_iterator(dir, ec)) {
      if (!entry.is_directory(ec)) continue;
      for (pid_t pid : parseProcs(readFile(entry.path() / "cgroup.procs"))) ::kill(pid, SIGKILL);
      removeTree(entry.path());
    }
}

}  // namespace stratus::exec::sandbox
