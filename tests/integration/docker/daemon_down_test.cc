// No daemon where DOCKER_HOST points: every way in says so, naming the place, as
// unavailable (503), without waiting.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>

#include "docker/docker_client.h"
#include "testing/temp_dir.h"

namespace stratus::docker {
namespace {

using namespace std::chrono_literals;

TEST(DaemonDown, ConnectSaysWhereAndWhy) {
  ::stratus::testing::TempDir dir;
  const std::string socket = (dir.path() / "no-daemon.sock").string();
  ASSERT_EQ(::setenv("DOCKER_HOST", ("unix://" + socket).c_str(), 1), 0);
  const auto before = std::chrono::steady_clock::now();
  auto client = DockerClient::connectFromEnvironment();
  ::unsetenv("DOCKER_HOST");
  ASSERT_FALSE(client);
  EXPECT_LT(std::chrono::steady_clock::now() - before, 2s);
  EXPECT_EQ(client.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(client.error().code, "docker_unavailable");
  EXPECT_EQ(client.error().message, "the Docker daemon is not reachable at unix://" + socket +
                                        ": there is no socket there (start dockerd, or point "
                                        "DOCKER_HOST at the daemon)");
}

TEST(DaemonDown, StaleSocketIsRefused) {
  // A socket file nobody listens on: what a daemon that died leaves behind.
  ::stratus::testing::TempDir dir;
  const std::string socket = (dir.path() / "stale.sock").string();
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::snprintf(address.sun_path, sizeof address.sun_path, "%s", socket.c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ::close(fd);
  auto client = DockerClient::connect(*parseDockerHost("unix://" + socket));
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code, "docker_unavailable");
  EXPECT_NE(client.error().message.find("connection refused"), std::string::npos)
      << client.error().message;
}

TEST(DaemonDown, TcpPortNobodyListensOn) {
  auto client = DockerClient::connect(*parseDockerHost("tcp://127.0.0.1:1"));
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code, "docker_unavailable");
  EXPECT_NE(client.error().message.find("tcp://127.0.0.1:1"), std::string::npos);
}

TEST(DaemonDown, BadDockerHostIsAConfigurationError) {
  ASSERT_EQ(::setenv("DOCKER_HOST", "ssh://me@elsewhere", 1), 0);
  auto client = DockerClient::connectFromEnvironment();
  ::unsetenv("DOCKER_HOST");
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code, "invalid_docker_host");
}

}  // namespace
}  // namespace stratus::docker
