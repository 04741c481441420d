// The Runtime API served by the host's event loop on a socket made inside another network
// namespace: reachable at 127.0.0.1:9001 from inside that namespace, not from the host.
#include "runtime/namespace_listener.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <cerrno>
#include <thread>

#include "runtime/runtime_server.h"

namespace stratus::runtime {
namespace {

// A process that does nothing but hold a new network namespace open.
class NamespaceHolder {
 public:
  NamespaceHolder() {
    int ready[2];
    if (::pipe2(ready, O_CLOEXEC) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      char ok = ::unshare(CLONE_NEWNET) == 0 ? '1' : '0';
      (void)::write(ready[1], &ok, 1);
      ::pause();
      ::_exit(0);
    }
    ::close(ready[1]);
    char ok = '0';
    (void)::read(ready[0], &ok, 1);
    ::close(ready[0]);
    if (ok == '1') {
      ns_ = UniqueFd(::open(("/proc/" + std::to_string(pid_) + "/ns/net").c_str(), O_RDONLY | O_CLOEXEC));
    }
  }
  ~NamespaceHolder() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  int fd() const { return ns_.get(); }

 private:
  pid_t pid_ = -1;
  UniqueFd ns_;
};

// Connects to 127.0.0.1:port from the calling thread's namespace; the socket, or -1.
int connectLoopback(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

TEST(NamespaceListener, ServesInsideTheInstanceNamespaceOnly) {
  if (::geteuid() != 0) GTEST_SKIP() << "skipped: joining a network namespace needs root";
  NamespaceHolder holder;
  ASSERT_GE(holder.fd(), 0) << "cannot make a network namespace";
  const int before = connectLoopback(kRuntimeApiPort);
  const bool hostPortFree = before < 0;
  if (before >= 0) ::close(before);
  auto listener = listenInNetworkNamespace(holder.fd());
  ASSERT_TRUE(listener) << listener.error().describe();

  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  InvocationChannel channel;
  RuntimeApiServer server(io, std::move(*listener), channel);
  server.start();
  std::thread loop([&] { io.run(); });
  ASSERT_TRUE(channel.submit(
      Event{InvocationContext{.requestId = "inside", .deadlineMs = 1, .functionArn = "arn"},
            R"({"from":"host"})"},
      [](Outcome) {}));

  // From the host namespace the port is still not there (when nothing of the host's own
  // held it to begin with).
  const int fromHost = connectLoopback(kRuntimeApiPort);
  if (hostPortFree) {
    EXPECT_LT(fromHost, 0) << "the instance's Runtime API leaked to the host";
  }
  if (fromHost >= 0) ::close(fromHost);

  // From inside the namespace, a runtime's GET /next gets the host's event.
  const char request[] = "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n";
  int output[2];
  ASSERT_EQ(::pipe2(output, O_CLOEXEC), 0);
  const pid_t client = ::fork();
  if (client == 0) {
    if (::setns(holder.fd(), CLONE_NEWNET) != 0) ::_exit(2);
    const int fd = connectLoopback(kRuntimeApiPort);
    if (fd < 0) ::_exit(3);
    if (::write(fd, request, sizeof(request) - 1) < 0) ::_exit(4);
    char buffer[4096];
    ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n > 0) (void)::write(output[1], buffer, static_cast<size_t>(n));
    ::_exit(n > 0 ? 0 : 5);
  }
  ::close(output[1]);
  std::string answer;
  char buffer[4096];
  for (ssize_t n; (n = ::read(output[0], buffer, sizeof(buffer))) > 0;) answer.append(buffer, n);
  ::close(output[0]);
  int status = 0;
  ::waitpid(client, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "client exit " << status;
  EXPECT_NE(answer.find("200 OK"), std::string::npos) << answer;
  EXPECT_NE(answer.find("Lambda-Runtime-Aws-Request-Id: inside"), std::string::npos) << answer;
  EXPECT_NE(answer.find(R"({"from":"host"})"), std::string::npos) << answer;

  server.close();
  work.reset();
  io.stop();
  loop.join();
}

}  // namespace
}  // namespace stratus::runtime
