// DOCKER_HOST parsing: the forms Stratus speaks, and clear refusals of the others.
#include "docker/docker_host.h"

#include <gtest/gtest.h>

namespace stratus::docker {
namespace {

TEST(DockerHost, EmptyMeansTheDefaultSocket) {
  auto endpoint = parseDockerHost("");
  ASSERT_TRUE(endpoint);
  EXPECT_TRUE(endpoint->isUnixSocket());
  EXPECT_EQ(endpoint->socketPath, "/var/run/docker.sock");
  EXPECT_EQ(endpoint->display, "unix:///var/run/docker.sock");
  EXPECT_EQ(endpoint->baseUrl(), "http://localhost");
}

TEST(DockerHost, UnixSocketPath) {
  auto endpoint = parseDockerHost("unix:///run/user/1000/docker.sock");
  ASSERT_TRUE(endpoint);
  EXPECT_EQ(endpoint->socketPath, "/run/user/1000/docker.sock");
  EXPECT_EQ(endpoint->display, "unix:///run/user/1000/docker.sock");
}

TEST(DockerHost, TcpWithAndWithoutPort) {
  auto endpoint = parseDockerHost("tcp://10.0.0.5:2376");
  ASSERT_TRUE(endpoint);
  EXPECT_FALSE(endpoint->isUnixSocket());
  EXPECT_EQ(endpoint->host, "10.0.0.5");
  EXPECT_EQ(endpoint->port, 2376);
  EXPECT_EQ(endpoint->baseUrl(), "http://10.0.0.5:2376");

  endpoint = parseDockerHost("tcp://docker-host.internal/");
  ASSERT_TRUE(endpoint);
  EXPECT_EQ(endpoint->host, "docker-host.internal");
  EXPECT_EQ(endpoint->port, 2375);
  EXPECT_EQ(endpoint->display, "tcp://docker-host.internal:2375");
}

TEST(DockerHost, TcpIpv6) {
  auto endpoint = parseDockerHost("tcp://[::1]:2375");
  ASSERT_TRUE(endpoint);
  EXPECT_EQ(endpoint->host, "[::1]");
  EXPECT_EQ(endpoint->port, 2375);
  EXPECT_EQ(endpoint->baseUrl(), "http://[::1]:2375");
  EXPECT_EQ(parseDockerHost("tcp://[::1]")->port, 2375);
}

TEST(DockerHost, RefusesWhatItCannotSpeak) {
  for (const char* value :
       {"ssh://user@host", "npipe:////./pipe/docker_engine", "fd://", "/var/run/docker.sock",
        "unix://relative.sock", "unix://", "tcp://", "tcp://:2375", "tcp://host:0",
        "tcp://host:65536", "tcp://host:12ab", "tcp://user:pw@host:2375", "tcp://host:2375/path",
        "tcp://[::1", "tcp://[::1]x", "tcp://ho st:1", "http://host:2375"}) {
    auto endpoint = parseDockerHost(value);
    ASSERT_FALSE(endpoint) << value;
    EXPECT_EQ(endpoint.error().code, "invalid_docker_host") << value;
    EXPECT_NE(endpoint.error().message.find("DOCKER_HOST"), std::string::npos) << value;
  }
}

}  // namespace
}  // namespace stratus::docker
