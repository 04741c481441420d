// Where the Docker daemon listens: DOCKER_HOST's two forms Stratus speaks, a unix socket
// (the default, unix:///var/run/docker.sock) or plain TCP (tcp://host:port). TLS, ssh://
// and fd:// are refused with a message rather than half-supported.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"

namespace stratus::docker {

inline constexpr std::string_view kDefaultDockerHost = "unix:///var/run/docker.sock";

struct DockerEndpoint {
  std::string socketPath;  // set for unix://
  std::string host;        // set for tcp:// (brackets kept around an IPv6 address)
  int port = 0;
  // As the operator wrote it (normalised): what error messages name.
  std::string display;

  bool isUnixSocket() const { return !socketPath.empty(); }
  // The URL prefix of every request: for a unix socket the host part is only a
  // placeholder, since libcurl connects to the socket instead.
  std::string baseUrl() const;
};

// DOCKER_HOST's value; empty means the default socket.
Result<DockerEndpoint> parseDockerHost(std::string_view value);

// From the process's DOCKER_HOST (and the default when unset). DOCKER_TLS_VERIFY set
// to anything is refused: a tcp:// daemon that expects TLS would only ever answer garbage.
Result<DockerEndpoint> endpointFromEnvironment();

}  // namespace stratus::docker
