// The real Docker daemon for tests: the one answering on /var/run/docker.sock, or, when
// none does and we are root, a `dockerd` started in the background (its log in a temp
// file) and waited for until /_ping answers. A test that cannot have one skips with the
// reason:
//
//   TEST(Docker, Something) {
//     STRATUS_REQUIRE_DOCKER();
//     ...
//   }
//
// A daemon this helper starts is left running when the tests end, on purpose: another
// test binary (or another engineer's run on the same machine) may be using it by then,
// and it is the machine's service, as `make run` would want it. It is started exactly as
// the service would be — never with `--bridge=none`, which deletes the docker0 bridge
// every other container on the machine depends on.
//
// Runtime images: ensureRuntimeImages() runs `stratus runtimes build` once per process
// (the images' recipe labels make a repeat take well under a second, and need no root;
// the first build on a machine takes a minute or two per image, as root), so executor
// tests find stratus/python3.11 and stratus/nodejs.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace stratus::testing {

class DockerDaemon {
 public:
  static constexpr const char* kSocket = "/var/run/docker.sock";

  // Empty when a daemon answers on kSocket (starting one if needed), else why not.
  static std::string ensure() {
    static std::once_flag once;
    static std::string reason;
    std::call_once(once, [] { reason = findOrStart(); });
    return reason;
  }

  // Whether GET /_ping on the socket answers 200 right now.
  static bool answersPing(const char* socketPath = kSocket) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof address.sun_path, "%s", socketPath);
    timeval timeout{2, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    std::string reply;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
      const char request[] = "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n";
      if (::write(fd, request, sizeof request - 1) == ssize_t(sizeof request - 1)) {
        char buffer[512];
        ssize_t got;
        while ((got = ::read(fd, buffer, sizeof buffer)) > 0)
          reply.append(buffer, std::size_t(got));
      }
    }
    ::close(fd);
    return reply.starts_with("HTTP/1.0 200") || reply.starts_with("HTTP/1.1 200");
  }

  // Empty when `stratus runtimes build` (of the binary at stratusBinary) succeeded or had
  // nothing to do, else why not (with the tail of its output).
  static std::string ensureRuntimeImages(const std::string& stratusBinary) {
    static std::once_flag once;
    static std::string reason;
    std::call_once(once, [&] {
      if (reason = ensure(); !reason.empty()) return;
      const std::string log = tempPath("stratus-runtimes-build", ".log");
      const std::string command = "'" + stratusBinary + "' runtimes build > '" + log + "' 2>&1";
      const auto started = std::chrono::steady_clock::now();
      const int status = std::system(command.c_str());
      const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::steady_clock::now() - started)
                               .count();
      if (status != 0) {
        reason = "`stratus runtimes build` failed (exit status " + std::to_string(status) + ", " +
                 std::to_string(seconds) + " s); its output ends:\n" + tail(log, 3000);
      } else if (seconds > 5) {
        std::fprintf(stderr, "docker fixture: built the runtime images in %lld s\n",
                     static_cast<long long>(seconds));
      }
      std::filesystem::remove(log);
    });
    return reason;
  }

 private:
  static std::string findOrStart() {
    if (answersPing()) return {};
    const std::string dockerd = findExecutable("dockerd");
    if (dockerd.empty()) {
      return "docker is not installed (no dockerd; apt-get install docker.io, as "
             "scripts/install-deps.sh does)";
    }
    if (::geteuid() != 0)
      return "no Docker daemon answers on " + std::string(kSocket) +
             " and starting dockerd needs root";
    const std::string log = tempPath("stratus-dockerd", ".log");
    const pid_t pid = ::fork();
    if (pid < 0) return "fork failed";
    if (pid == 0) {
      // Its own session: it outlives this test process, and a Ctrl-C of the tests does not
      // reach it.
      ::setsid();
      const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      const int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (out >= 0) {
        ::dup2(out, 1);
        ::dup2(out, 2);
      }
      if (in >= 0) ::dup2(in, 0);
      ::execl(dockerd.c_str(), dockerd.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    bool exited = false;
    while (std::chrono::steady_clock::now() < deadline) {
      if (answersPing()) {
        std::fprintf(stderr, "docker fixture: started dockerd (pid %d, log %s)\n", pid,
                     log.c_str());
        return {};
      }
      // One that exits at once may have lost a race with another starting at the same
      // time (the pid file): keep asking the socket rather than give up.
      if (!exited && ::waitpid(pid, nullptr, WNOHANG) == pid) exited = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return "dockerd did not answer on " + std::string(kSocket) + " within 60 s; its log (" + log +
           ") ends:\n" + tail(log, 2000);
  }

  static std::string findExecutable(const std::string& name) {
    std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
    path += ":/usr/sbin:/usr/bin:/sbin:/bin";
    std::stringstream folders(path);
    std::string folder;
    while (std::getline(folders, folder, ':')) {
      if (folder.empty()) continue;
      const std::string candidate = folder + "/" + name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return {};
  }

  static std::string tempPath(const std::string& stem, const std::string& suffix) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / (stem + "-XXXXXX" + suffix)).string();
    const int fd = ::mkstemps(pattern.data(), static_cast<int>(suffix.size()));
    if (fd >= 0) ::close(fd);
    return pattern;
  }

  static std::string tail(const std::string& path, std::size_t bytes) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    std::string all = text.str();
    return all.size() > bytes ? all.substr(all.size() - bytes) : all;
  }
};

}  // namespace stratus::testing

// Skips the current test, with the reason, when no Docker daemon can be had.
#define STRATUS_REQUIRE_DOCKER()                                                   \
  do {                                                                             \
    if (auto reason = ::stratus::testing::DockerDaemon::ensure(); !reason.empty()) \
      GTEST_SKIP() << "skipped: " << reason;                                       \
  } while (0)
