#include "docker/api_errors.h"

#include <cctype>
#include <cerrno>
#include <cstring>

#include "docker/json_decode.h"

namespace stratus::docker {
namespace {

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

Error apiError(long status, std::string_view body, Subject subject, std::string_view action) {
  const std::string message = daemonMessage(body);
  const std::string failed = "the Docker daemon could not " + std::string(action) + ": " + message;
  // A container create names the missing image in its 404, so the message decides, not
  // only what the request was about.
  const bool imageMissing =
      status == 404 && (subject == Subject::image || startsWithNoCase(message, "No such image"));
  if (imageMissing) {
    return Error{ErrorKind::not_found,
                 "docker_image_missing",
                 failed +
                     " (Stratus never pulls images: build its runtime images with "
                     "`stratus runtimes build`, or name an image this daemon has)",
                 {}};
  }
  switch (status) {
    case 404:
      return Error{ErrorKind::not_found,
                   subject == Subject::container ? "docker_container_missing" : "docker_not_found",
                   failed,
                   {}};
    case 409:
      return Error{ErrorKind::conflict, "docker_conflict", failed, {}};
    case 400:
      return Error{ErrorKind::invalid_argument, "docker_bad_request", failed, {}};
    case 401:
    case 403:
      return Error{ErrorKind::forbidden, "docker_forbidden", failed, {}};
    default:
      return Error{ErrorKind::internal,
                   "docker_error",
                   failed + " (HTTP " + std::to_string(status) + ")",
                   {}};
  }
}

Error unreachableError(const DockerEndpoint& endpoint, std::string_view detail, int osErrno) {
  std::string why;
  switch (osErrno) {
    case ENOENT:
      why = "there is no socket there (start dockerd, or point DOCKER_HOST at the daemon)";
      break;
    case ECONNREFUSED:
      why = endpoint.isUnixSocket()
                ? "connection refused (the socket is left from a daemon that stopped: start "
                  "dockerd)"
                : "connection refused (is dockerd listening there?)";
      break;
    case EACCES:
    case EPERM:
      why =
          "permission denied (run as root, or as a member of the socket's group, usually "
          "docker)";
      break;
    default:
      why = osErrno != 0 ? std::string(std::strerror(osErrno)) : std::string(detail);
  }
  return Error{ErrorKind::unavailable,
               "docker_unavailable",
               "the Docker daemon is not reachable at " + endpoint.display + ": " + why,
               {}};
}

Error timeoutError(const DockerEndpoint& endpoint, std::string_view action, long timeoutMs) {
  return Error{ErrorKind::unavailable,
               "docker_timeout",
               "the Docker daemon at " + endpoint.display + " did not " + std::string(action) +
                   " within " + std::to_string(timeoutMs) + " ms",
               {}};
}

}  // namespace stratus::docker
