#include "exec/runtime_instance.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <mutex>
#include <thread>

#include "runtime/invocation_channel.h"
#include "runtime/namespace_listener.h"
#include "runtime/runtime_server.h"

namespace stratus::exec {
namespace {
namespace asio = boost::asio;
using sandbox::CgroupProbe;
using sandbox::CgroupUsage;

constexpr std::size_t kLogCapBytes = 1 << 20;  // per invocation; the rest is dropped

std::string describeExit(int status) {
  if (WIFEXITED(status)) return "the runtime exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "the runtime was killed by signal " + std::to_string(WTERMSIG(status));
  return "the runtime stopped";
}

// What the event loop's handlers share with the instance. The isolation (InstanceHost)
// stays with the instance, so it is always torn down on the instance owner's thread,
// never the loop's.
struct LoopState {
  explicit LoopState(asio::io_context& io) : out(io), err(io), exitWatch(io) {}
  std::shared_ptr<runtime::InvocationChannel> channelOwner =
      std::make_shared<runtime::InvocationChannel>();
  runtime::InvocationChannel& channel = *channelOwner;
  std::unique_ptr<runtime::RuntimeApiServer> server;
  asio::posix::stream_descriptor out, err, exitWatch;
  UniqueFd status;  // the program's wait status, when the executor has one (the sandbox's init)
  CgroupProbe cgroup;
  std::function<std::string()> exitReason;
  std::function<std::string(std::string_view)> logFilter;
  // The cgroup's OOM-kill count after the last invocation: the next one's "before".
  std::atomic<int64_t> oomKills{0};
  std::atomic<bool> exited{false};
  std::mutex logMutex;
  std::string logs;
  bool logsTruncated = false;

  // Reads what a stream has now, up to `budget` bytes: a function writing without pause
  // must not hold the event loop every instance shares. True while the stream is open.
  bool readAvailable(asio::posix::stream_descriptor& stream, std::size_t budget = 65536) {
    char buffer[16384];
    for (std::size_t taken = 0; taken < budget;) {
      int fd = stream.native_handle();
      if (fd < 0) return false;
      ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n > 0) {
        taken += static_cast<std::size_t>(n);
        std::lock_guard lock(logMutex);
        std::size_t room = logs.size() < kLogCapBytes ? kLogCapBytes - logs.size() : 0;
        std::size_t keep = std::min(room, static_cast<std::size_t>(n));
        logs.append(buffer, keep);
        if (keep < static_cast<std::size_t>(n)) logsTruncated = true;
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      return n < 0 && errno == EAGAIN;
    }
    return true;  // more may be waiting: the next wait finds it ready at once
  }
};

void readLogs(std::weak_ptr<LoopState> weak, asio::posix::stream_descriptor* stream) {
  stream->async_wait(asio::posix::stream_descriptor::wait_read,
                     [weak, stream](boost::system::error_code ec) {
                       auto state = weak.lock();
                       if (!state || ec) return;
                       if (state->readAvailable(*stream)) readLogs(weak, stream);
                     });
}

void watchExit(std::weak_ptr<LoopState> weak) {
  auto state = weak.lock();
  if (!state) return;
  state->exitWatch.async_wait(
      asio::posix::stream_descriptor::wait_read, [weak](boost::system::error_code ec) {
        auto state = weak.lock();
        if (!state || ec) return;
        state->exited = true;
        int status = 0;
        std::string why = "the runtime stopped";
        if (state->exitReason)
          why = state->exitReason();
        else if (::read(state->status.get(), &status, sizeof status) == sizeof status)
          why = describeExit(status);
        state->channel.abandon(Error{ErrorKind::unavailable, "runtime_exited", why, {}});
      });
}

class RuntimeInstance final : public Instance {
 public:
  RuntimeInstance(asio::io_context& io, RuntimeChannels channels,
                  std::unique_ptr<InstanceHost> host)
      : io_(io), host_(std::move(host)), state_(std::make_shared<LoopState>(io)) {
    state_->cgroup = std::move(channels.cgroup);
    state_->oomKills = state_->cgroup.oomKills();
    for (UniqueFd* fd : {&channels.stdoutRead, &channels.stderrRead})
      ::fcntl(fd->get(), F_SETFL, ::fcntl(fd->get(), F_GETFL) | O_NONBLOCK);
    state_->out.assign(channels.stdoutRead.release());
    state_->err.assign(channels.stderrRead.release());
    exitWatch_ = channels.exitWatch.get();
    state_->exitWatch.assign(channels.exitWatch.release());
    state_->status = std::move(channels.exitStatus);
    state_->exitReason = std::move(channels.exitReason);
    state_->logFilter = std::move(channels.logFilter);
    state_->server = std::make_unique<runtime::RuntimeApiServer>(io, std::move(channels.listener),
                                                                 state_->channelOwner);
    state_->server->start();
    std::weak_ptr<LoopState> weak = state_;
    asio::post(io_, [weak] {
      auto state = weak.lock();
      if (!state) return;
      readLogs(weak, &state->out);
      readLogs(weak, &state->err);
      watchExit(weak);
    });
  }

  ~RuntimeInstance() override {
    state_->channel.abandon(Error{ErrorKind::unavailable, "instance_stopped",
                                  "the instance was stopped", {}});
    state_->server->close();
    host_->killAll();
    // The descriptors belong to the loop: close them there (or here, if this is the loop).
    auto close = [state = state_] {
      boost::system::error_code ec;
      state->out.close(ec);
      state->err.close(ec);
      state->exitWatch.close(ec);
    };
    if (io_.stopped() || io_.get_executor().running_in_this_thread()) {
      close();
    } else {
      std::promise<void> closed;
      asio::post(io_, [&] {
        close();
        closed.set_value();
      });
      closed.get_future().wait();
    }
  }

  Status invoke(runtime::Event event, Done done) override {
    if (state_->exited) return fail(ErrorKind::unavailable, "instance_exited", "the runtime has exited");
    state_->cgroup.resetPeak();
    int64_t oomBefore = state_->oomKills;
    // Whatever was written between invocations is nobody's log.
    state_->readAvailable(state_->out);
    state_->readAvailable(state_->err);
    {
      std::lock_guard lock(state_->logMutex);
      state_->logs.clear();
      state_->logsTruncated = false;
    }
    std::weak_ptr<LoopState> weak = state_;
    return state_->channel.submit(
        std::move(event), [weak, done = std::move(done), oomBefore](runtime::Outcome outcome) {
          InvocationResult result;
          if (auto state = weak.lock()) {
            // The bootstrap flushes before it answers: what it wrote is in the pipes now.
            state->readAvailable(state->out);
            state->readAvailable(state->err);
            {
              std::lock_guard lock(state->logMutex);
              result.logs = std::exchange(state->logs, {});
              result.logsTruncated = std::exchange(state->logsTruncated, false);
            }
            if (state->logFilter) result.logs = state->logFilter(result.logs);
            CgroupUsage usage = state->cgroup.usage();
            result.memoryPeakBytes = usage.memoryPeakBytes;
            result.oomKilled = usage.oomKills > oomBefore;
            state->oomKills = usage.oomKills;
          }
          result.outcome = std::move(outcome);
          done(std::move(result));
        });
  }

  void kill(Error reason) override {
    state_->channel.abandon(std::move(reason));
    host_->killAll();
  }

  bool reusable() override {
    if (state_->exited || state_->channel.broken()) return false;
    // The loop may not have seen the exit yet; the descriptor stays open until the
    // instance is destroyed, on this side of it.
    pollfd exited{exitWatch_, POLLIN, 0};
    if (::poll(&exited, 1, 0) == 1) return false;
    return host_->idle();
  }

  int64_t memoryBytes() override { return host_->memoryBytes(); }

  bool waitUntilReady(std::chrono::milliseconds limit) override {
    // Polled: only the pool's maintenance thread waits here, for a pre-warmed instance,
    // and a runtime takes tens of milliseconds to start.
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!state_->channel.settled() && !state_->exited) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
  }

  std::optional<std::chrono::steady_clock::time_point> runningSince() override {
    return state_->channel.inFlightSince();
  }

 private:
  asio::io_context& io_;
  std::unique_ptr<InstanceHost> host_;
  std::shared_ptr<LoopState> state_;
  int exitWatch_ = -1;  // owned by state_->exitWatch
};


}  // namespace

InstancePtr makeRuntimeInstance(asio::io_context& io, RuntimeChannels channels,
                                std::unique_ptr<InstanceHost> host) {
  return InstancePtr(new RuntimeInstance(io, std::move(channels), std::move(host)));
}

bool isBuiltInRuntime(const std::string& runtime) {
  return runtime == "python3.11" || runtime == "nodejs20";
}

std::vector<std::string> bootstrapArgv(const std::string& runtime) {
  if (runtime == "python3.11") return {"/usr/bin/python3", "/opt/stratus/python/bootstrap.py"};
  if (runtime == "nodejs20") return {"/usr/bin/node", "/opt/stratus/node/bootstrap.mjs"};
  return {"/var/task/bootstrap"};  // provided: the function brings its own
}

std::vector<std::string> baseEnvironment() {
  return {"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "TMPDIR=/tmp", "LANG=C.UTF-8",
          "TZ=:UTC", "PYTHONDONTWRITEBYTECODE=1", "PYTHONUNBUFFERED=1",
          "AWS_LAMBDA_RUNTIME_API=127.0.0.1:" + std::to_string(runtime::kRuntimeApiPort),
          "LAMBDA_TASK_ROOT=/var/task", "LAMBDA_RUNTIME_DIR=/opt/stratus"};
}

}  // namespace stratus::exec
