// Turning the daemon's failures into Stratus errors (common/error.h), so every caller sees
// the same codes and the operator reads what to do:
//   daemon not reachable   unavailable   docker_unavailable     (names the socket or host)
//   no answer in time      unavailable   docker_timeout
//   image missing          not_found     docker_image_missing   (hints `stratus runtimes build`)
//   container missing      not_found     docker_container_missing
//   other 404              not_found     docker_not_found
//   409                    conflict      docker_conflict        (name in use, not running, ...)
//   400                    invalid_argument docker_bad_request
//   401 / 403              forbidden     docker_forbidden       (an authorization plugin)
//   anything else          internal      docker_error
// Every API error carries the daemon's own message.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"
#include "docker/docker_host.h"

namespace stratus::docker {

// What a request was about, so a 404 can say which thing is missing.
enum class Subject { container, image, other };

// An answer with an error status. `action` says what was attempted ("create a container").
Error apiError(long status, std::string_view body, Subject subject, std::string_view action);

// No answer at all. osErrno is the connect's errno when there is one (CURLINFO_OS_ERRNO),
// else 0; detail is libcurl's own description.
Error unreachableError(const DockerEndpoint& endpoint, std::string_view detail, int osErrno);
Error timeoutError(const DockerEndpoint& endpoint, std::string_view action, long timeoutMs);

}  // namespace stratus::docker
