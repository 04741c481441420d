#include "exec/docker/docker_instances.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "common/crypto.h"
#include "common/log.h"
#include "exec/runtime_files.h"
#include "exec/runtime_instance.h"
#include "runtime/namespace_listener.h"

namespace stratus::exec::docker {
namespace {
namespace asio = boost::asio;
namespace fs = std::filesystem;
using ::stratus::docker::DockerClient;
using sandbox::CgroupProbe;
using sandbox::CgroupVersion;
using sandbox::LeftoverCheck;

// An idle container is docker-init and the bootstrap; more after an invocation was left
// behind by it.
constexpr std::size_t kIdleProcesses = 2;

std::string readText(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// One instance's FIFOs, in a folder of the host's bound read-only into the container:
// "go" (the host's signal that the Runtime API is listening) and the runtime's stdout and
// stderr. The host keeps "go" open read-write: a FIFO's buffered line survives only while
// someone holds it open.
struct PipeFolder {
  fs::path path;
  UniqueFd go, out, err;

  PipeFolder() = default;
  PipeFolder(PipeFolder&& other) noexcept
      : path(std::exchange(other.path, {})), go(std::move(other.go)), out(std::move(other.out)),
        err(std::move(other.err)) {}
  PipeFolder& operator=(PipeFolder&&) = delete;
  ~PipeFolder() {
    if (path.empty()) return;
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

Result<PipeFolder> makePipes(const fs::path& dir) {
  PipeFolder pipes;
  if (::mkdir(dir.c_str(), 0755) != 0) return sysError("create " + dir.string(), errno);
  pipes.path = dir;
  // Modes set after creation: the umask must not decide them. The container's user (not
  // root) writes the output FIFOs and reads "go"; nobody else on the host can reach the
  // folder's parent.
  struct Fifo {
    const char* name;
    mode_t mode;
  };
  for (Fifo fifo : {Fifo{"go", 0644}, Fifo{"stdout", 0622}, Fifo{"stderr", 0622}}) {
    fs::path file = dir / fifo.name;
    if (::mkfifo(file.c_str(), 0600) != 0 || ::chmod(file.c_str(), fifo.mode) != 0)
      return sysError("create the FIFO " + file.string(), errno);
  }
  if (::chmod(dir.c_str(), 0755) != 0) return sysError("set the mode of " + dir.string(), errno);
  pipes.go.reset(::open((dir / "go").c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC));
  pipes.out.reset(::open((dir / "stdout").c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  pipes.err.reset(::open((dir / "stderr").c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!pipes.go.valid() || !pipes.out.valid() || !pipes.err.valid())
    return sysError("open the FIFOs in " + dir.string(), errno);
  return pipes;
}

// What an instance needs of its container beyond the Runtime API. Destroying it removes
// the container (force: killed first if it still runs), then the FIFOs.
class ContainerHost final : public InstanceHost {
 public:
  ContainerHost(DockerClient client, std::string containerId, UniqueFd pidfd, PipeFolder pipes,
                std::optional<LeftoverCheck> leftovers, CgroupVersion version,
                fs::path memoryDir)
      : client_(std::move(client)), containerId_(std::move(containerId)),
        pidfd_(std::move(pidfd)), pipes_(std::move(pipes)), leftovers_(std::move(leftovers)),
        version_(version), memoryDir_(std::move(memoryDir)) {}

  ~ContainerHost() override {
    killAll();
    if (auto removed = client_.removeContainer(containerId_, true); !removed)
      log::warn("could not remove a container",
                {{"container", containerId_}, {"error", removed.error().describe()}});
  }

  // docker-init is PID 1 of the container's PID namespace: when it dies, the kernel kills
  // everything else in it. Faster than the API, and safe from any thread.
  void killAll() override {
    if (pidfd_.valid()) ::syscall(SYS_pidfd_send_signal, pidfd_.get(), SIGKILL, nullptr, 0);
  }

  bool idle() override { return !leftovers_ || leftovers_->idle(); }

  int64_t memoryBytes() override {
    return memoryDir_.empty() ? 0 : sandbox::memoryCurrentBytes(version_, memoryDir_);
  }

 private:
  DockerClient client_;
  std::string containerId_;
  UniqueFd pidfd_;
  PipeFolder pipes_;
  std::optional<LeftoverCheck> leftovers_;
  CgroupVersion version_;
  fs::path memoryDir_;
};

class DockerInstanceFactory final : public InstanceFactory {
 public:
  DockerInstanceFactory(DockerClient client, DockerInstanceOptions options, CgroupVersion version)
      : client_(std::move(client)), options_(std::move(options)), version_(version),
        work_(io_.get_executor()) {
    ioThread_ = std::thread([this] { io_.run(); });
  }

  ~DockerInstanceFactory() override { shutdown(); }

  std::string name() const override { return "docker"; }

  Result<InstancePtr> start(const InstanceSpec& spec, bool* warmStart) override {
    if (warmStart) *warmStart = false;
    std::string image = ::stratus::docker::imageForRuntime(spec.runtime, options_.images);
    if (image.empty() && spec.runtime == "provided")
      image = ::stratus::docker::imageForRuntime("nodejs20", options_.images);
    if (image.empty())
      return invalid("invalid_runtime", "the docker executor has no image for " + spec.runtime);

    ContainerPlan plan;
    plan.id = newId();
    plan.node = options_.node;
    plan.image = image;
    plan.codeDir = spec.codeDir;
    plan.runtimeDir = options_.runtimeDir;
    plan.pipesDir = options_.stateDir / plan.id;
    plan.limits = options_.limits;
    auto pipes = makePipes(plan.pipesDir);
    if (!pipes) return propagate(pipes.error(), "docker instance");

    auto created = client_.createContainer(containerSpecFor(spec, plan));
    if (!created) return propagate(created.error(), "create the container");
    // Until the instance owns it, a failure removes the container.
    struct Remover {
      DockerClient* client;
      std::string id;
      ~Remover() {
        if (!id.empty()) (void)client->removeContainer(id, true);
      }
    } remover{&client_, created->id};

    if (auto started = client_.startContainer(created->id); !started)
      return propagate(started.error(), "start the container");
    auto info = client_.inspectContainer(created->id);
    if (!info) return propagate(info.error(), "inspect the container");
    if (!info->running || info->pid <= 0)
      return fail(ErrorKind::unavailable, "container_exited",
                  "the container stopped as it started" +
                      (info->error.empty() ? std::string() : ": " + info->error));
    pid_t pid = static_cast<pid_t>(info->pid);
    UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    if (!pidfd.valid()) return sysError("watch the container's init", errno);
    std::string proc = "/proc/" + std::to_string(pid);
    UniqueFd netns(::open((proc + "/ns/net").c_str(), O_RDONLY | O_CLOEXEC));
    if (!netns.valid()) return sysError("open the container's network namespace", errno);
    auto listener = runtime::listenInNetworkNamespace(netns.get());
    if (!listener) return propagate(listener.error(), "Runtime API listener");

    RuntimeChannels channels;
    std::optional<LeftoverCheck> leftovers;
    fs::path memoryDir;
    if (auto folders = cgroupFoldersOf(readText(proc + "/cgroup"), version_)) {
      channels.cgroup = CgroupProbe::open(version_, folders->memory, folders->pids);
      leftovers.emplace(CgroupProbe::open(version_, folders->memory, folders->pids),
                        folders->memory, kIdleProcesses);
      memoryDir = folders->memory;
    } else {
      log::warn("the container's cgroup was not found: no memory figures for it",
                {{"container", created->id}});
    }
    // The Runtime API listens: let the bootstrap start.
    if (::write(pipes->go.get(), "go\n", 3) != 3) return sysError("signal the container", errno);
    channels.listener = std::move(*listener);
    channels.stdoutRead = std::move(pipes->out);
    channels.stderrRead = std::move(pipes->err);
    channels.exitWatch.reset(::fcntl(pidfd.get(), F_DUPFD_CLOEXEC, 0));
    auto host = std::make_unique<ContainerHost>(client_, std::exchange(remover.id, {}),
                                                std::move(pidfd), std::move(*pipes),
                                                std::move(leftovers), version_, memoryDir);
    return makeRuntimeInstance(io_, std::move(channels), std::move(host));
  }

  void shutdown() override {
    if (stopped_.exchange(true)) return;
    work_.reset();
    io_.stop();
    if (ioThread_.joinable()) ioThread_.join();
  }

 private:
  DockerClient client_;
  DockerInstanceOptions options_;
  CgroupVersion version_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread ioThread_;
  std::atomic<bool> stopped_{false};
};

}  // namespace

Result<std::unique_ptr<InstanceFactory>> makeDockerInstances(DockerClient client,
                                                             DockerInstanceOptions options) {
  if (::geteuid() != 0)
    return fail(ErrorKind::unavailable, "docker_unavailable",
                "the docker executor needs root (it joins containers' network namespaces)");
  if (auto ping = client.ping(); !ping) return propagate(ping.error(), "docker");
  auto version = sandbox::detectCgroupVersion();
  if (!version) return propagate(version.error(), "docker");
  // What a crashed earlier run of this server left: its containers, and their FIFOs.
  auto leftovers = client.listContainers(
      {{"label", {std::string(kNodeLabel) + "=" + options.node}}}, /*all=*/true);
  if (!leftovers) return propagate(leftovers.error(), "list leftover containers");
  for (const auto& container : *leftovers)
    if (auto removed = client.removeContainer(container.id, true); !removed)
      log::warn("could not remove a leftover container",
                {{"container", container.id}, {"error", removed.error().describe()}});
  if (!leftovers->empty())
    log::info("removed leftover containers", {{"count", leftovers->size()}});
  std::error_code ec;
  fs::remove_all(options.stateDir, ec);
  fs::create_directories(options.stateDir, ec);
  if (ec) return sysError("create " + options.stateDir.string(), ec.value());
  // Search-only above the FIFO folders: dockerd (root) binds them, nobody lists them.
  fs::permissions(options.stateDir, fs::perms(0711), ec);
  fs::permissions(options.stateDir.parent_path(), fs::perms(0711), ec);
  if (auto written = writeRuntimeFiles(options.runtimeDir); !written)
    return propagate(written.error(), "install the runtime bootstraps");
  fs::permissions(options.runtimeDir, fs::perms(0755), ec);
  return std::unique_ptr<InstanceFactory>(
      new DockerInstanceFactory(std::move(client), std::move(options), *version));
}

}  // namespace stratus::exec::docker
