// A client of the Docker Engine API (HTTP/1.1 over /var/run/docker.sock or DOCKER_HOST).
// connect() negotiates the API version once; every request then carries it in its path.
// One DockerClient may be used from many threads at once (docker/transport.h); copies
// share the connection pool.
//
// Errors follow docker/api_errors.h: docker_unavailable when the daemon is not there,
// docker_image_missing when an image is, the daemon's own message otherwise.
#pragma once

#include <chrono>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "docker/api_version.h"
#include "docker/docker_host.h"
#include "docker/event_stream.h"
#include "docker/types.h"

namespace stratus::docker {

class Transport;
struct HttpRequest;
struct HttpReply;
enum class Subject;

class DockerClient {
 public:
  // Asks the daemon at `endpoint` for its version and settles on the API version to use.
  static Result<DockerClient> connect(const DockerEndpoint& endpoint);
  // The same, at DOCKER_HOST (or the default socket).
  static Result<DockerClient> connectFromEnvironment();

  const DockerEndpoint& endpoint() const;
  ApiVersion apiVersion() const { return apiVersion_; }
  const VersionInfo& daemonVersion() const { return daemonVersion_; }

  // GET /_ping: whether the daemon answers at all.
  Status ping();

  // ---- containers (docker/containers.cc)
  Result<CreatedContainer> createContainer(const ContainerSpec& spec);
  // Already running is not an error.
  Status startContainer(std::string_view id);
  // Blocks until the container is no longer running, or `timeout` passes (zero: no limit;
  // then docker_timeout, and the container is left as it is).
  Result<WaitResult> waitContainer(
      std::string_view id, std::chrono::milliseconds timeout = std::chrono::milliseconds(0));
  // `signal` as the daemon reads it: "SIGKILL", "KILL", "9". A container that is not running
  // is a conflict (docker_conflict).
  Status killContainer(std::string_view id, std::string_view signal = "SIGKILL");
  // force: kill it first if it runs; removeVolumes: its anonymous volumes go too. A
  // container already gone is not an error.
  Status removeContainer(std::string_view id, bool force = true, bool removeVolumes = true);
  Result<ContainerInfo> inspectContainer(std::string_view id);
  // all: stopped ones too. filters as the API's, e.g. {{"label", {"org.stratus.node=a"}}}.
  Result<std::vector<ContainerSummary>> listContainers(const Filters& filters = {},
                                                       bool all = true);
  // stdout and stderr so far, split; at most maxBytes of the raw stream (the rest dropped,
  // truncated set).
  Result<LogOutput> containerLogs(std::string_view id, std::size_t maxBytes = 1u << 20);

  // ---- images (docker/images.cc)
  Result<std::vector<ImageSummary>> listImages(const Filters& filters = {});
  // By name ("stratus/python3.11", ":latest" implied) or id. Missing: docker_image_missing.
  Result<ImageInfo> inspectImage(std::string_view name);
  // Creates an image from a root file system given as a tar stream read from `tarFd`
  // (until its end; the descriptor stays the caller's). Returns the new image's id.
  Result<std::string> importImage(const ImageImport& image, int tarFd);
  Result<std::string> importImageFile(const ImageImport& image, const std::string& tarPath);
  // force: even when tagged more than once or used by a stopped container.
  Status removeImage(std::string_view name, bool force = false);

  // ---- events (docker/event_stream.h)
  // Delivers every event matching `query` to onEvent, on a thread of the subscription's
  // own, until the subscription is cancelled or destroyed. Returns once the daemon has
  // accepted the subscription. onEnd, if given, runs once when the stream ends by itself
  // (the daemon went away), with why.
  Result<EventSubscriptionPtr> subscribeEvents(const EventQuery& query, EventCallback onEvent,
                                               EndCallback onEnd = {});

 private:
  DockerClient(std::shared_ptr<Transport> transport, ApiVersion version, VersionInfo daemon);
  // Sends `request` with its target prefixed by the API version. A status outside 2xx
  // (and `alsoAccepted`) becomes the matching error (docker/api_errors.h).
  Result<HttpReply> send(HttpRequest request, Subject subject, std::string_view action,
                         std::initializer_list<long> alsoAccepted = {});

  std::shared_ptr<Transport> transport_;
  ApiVersion apiVersion_;
  VersionInfo daemonVersion_;
};

}  // namespace stratus::docker
