#include "docker/docker_host.h"

#include <cctype>
#include <charconv>
#include <cstdlib>

namespace stratus::docker {
namespace {

std::unexpected<Error> badHost(std::string_view value, std::string why) {
  return invalid("invalid_docker_host",
                 "DOCKER_HOST \"" + std::string(value) + "\" " + std::move(why));
}

}  // namespace

std::string DockerEndpoint::baseUrl() const {
  if (isUnixSocket()) return "http://localhost";
  return "http://" + host + ":" + std::to_string(port);
}

Result<DockerEndpoint> parseDockerHost(std::string_view value) {
  if (value.empty()) value = kDefaultDockerHost;
  DockerEndpoint endpoint;
  if (value.starts_with("unix://")) {
    std::string_view path = value.substr(7);
    if (path.empty() || path.front() != '/') {
      return badHost(value, "must name an absolute socket path, as unix:///var/run/docker.sock");
    }
    // A NUL would silently cut the path libcurl sees.
    if (path.find('\0') != std::string_view::npos) return badHost(value, "contains a NUL byte");
    endpoint.socketPath = std::string(path);
    endpoint.display = "unix://" + endpoint.socketPath;
    return endpoint;
  }
  if (value.starts_with("tcp://")) {
    std::string_view rest = value.substr(6);
    while (rest.ends_with('/')) rest.remove_suffix(1);
    if (rest.find_first_of("/?#@") != std::string_view::npos) {
      return badHost(value, "must be tcp://host:port, without a path or credentials");
    }
    std::string_view host = rest;
    std::string_view port;
    if (rest.starts_with('[')) {  // [::1]:2375
      const std::size_t close = rest.find(']');
      if (close == std::string_view::npos) return badHost(value, "has an unclosed [");
      host = rest.substr(0, close + 1);
      std::string_view after = rest.substr(close + 1);
      if (!after.empty()) {
        if (after.front() != ':') return badHost(value, "has text after the address");
        port = after.substr(1);
      }
    } else if (const std::size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
      host = rest.substr(0, colon);
      port = rest.substr(colon + 1);
    }
    if (host.empty() || host == "[]") return badHost(value, "has no host");
    for (char c : host) {
      const bool allowed = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
                           c == '_' || c == ':' || c == '[' || c == ']';
      if (!allowed) return badHost(value, "has a character a host name cannot have");
    }
    int number = 2375;  // the daemon's conventional plain-TCP port
    if (!port.empty()) {
      auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
      if (ec != std::errc() || end != port.data() + port.size() || number < 1 || number > 65535) {
        return badHost(value, "has an invalid port");
      }
    }
    endpoint.host = std::string(host);
    endpoint.port = number;
    endpoint.display = "tcp://" + endpoint.host + ":" + std::to_string(number);
    return endpoint;
  }
  return badHost(value, "is not supported: use unix:///path/to/docker.sock or tcp://host:port");
}

Result<DockerEndpoint> endpointFromEnvironment() {
  const char* tls = std::getenv("DOCKER_TLS_VERIFY");
  if (tls != nullptr && *tls != '\0') {
    return invalid("invalid_docker_host",
                   "DOCKER_TLS_VERIFY is set, but Stratus speaks to the Docker daemon without "
                   "TLS: use its unix socket, or unset DOCKER_TLS_VERIFY for a plain tcp:// host");
  }
  const char* host = std::getenv("DOCKER_HOST");
  return parseDockerHost(host == nullptr ? std::string_view() : std::string_view(host));
}

}  // namespace stratus::docker
