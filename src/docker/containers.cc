// DockerClient's container endpoints (Engine API "Container" section).
#include "docker/api_errors.h"
#include "docker/docker_client.h"
#include "docker/json_decode.h"
#include "docker/log_frames.h"
#include "docker/request_encode.h"
#include "docker/transport.h"

namespace stratus::docker {
namespace {

// Every id or name goes into a path: check it before it can change the path's meaning.
Result<std::string> containerPath(std::string_view id, std::string_view rest = {}) {
  if (auto checked = checkObjectName(id, NameKind::container); !checked) {
    return std::unexpected(checked.error());
  }
  return "/containers/" + std::string(id) + std::string(rest);
}

}  // namespace

Result<CreatedContainer> DockerClient::createContainer(const ContainerSpec& spec) {
  auto body = containerCreateBody(spec);
  if (!body) return std::unexpected(std::move(body.error()));
  QueryParameters parameters;
  if (!spec.name.empty()) {
    if (auto checked = checkObjectName(spec.name, NameKind::container); !checked) {
      return std::unexpected(checked.error());
    }
    parameters.emplace_back("name", spec.name);
  }
  HttpRequest request;
  request.method = "POST";
  request.target = "/containers/create" + queryString(parameters);
  request.body = *body;
  auto reply = send(std::move(request), Subject::container, "create a container");
  if (!reply) return std::unexpected(std::move(reply.error()));
  return decodeCreatedContainer(reply->body);
}

Status DockerClient::startContainer(std::string_view id) {
  auto path = containerPath(id, "/start");
  if (!path) return std::unexpected(std::move(path.error()));
  HttpRequest request;
  request.method = "POST";
  request.target = std::move(*path);
  // 304: it was running already, which is what the caller wanted.
  auto reply = send(std::move(request), Subject::container, "start a container", {304});
  if (!reply) return std::unexpected(std::move(reply.error()));
  return {};
}

Result<WaitResult> DockerClient::waitContainer(std::string_view id,
                                               std::chrono::milliseconds timeout) {
  auto path = containerPath(id, "/wait?condition=not-running");
  if (!path) return std::unexpected(std::move(path.error()));
  HttpRequest request;
  request.method = "POST";
  request.target = std::move(*path);
  request.timeout = timeout;
  auto reply = send(std::move(request), Subject::container, "wait for a container");
  if (!reply) return std::unexpected(std::move(reply.error()));
  return decodeWaitResult(reply->body);
}

Status DockerClient::killContainer(std::string_view id, std::string_view signal) {
  auto path = containerPath(id, "/kill" + queryString({{"signal", std::string(signal)}}));
  if (!path) return std::unexpected(std::move(path.error()));
  HttpRequest request;
  request.method = "POST";
  request.target = std::move(*path);
  auto reply = send(std::move(request), Subject::container, "kill a container");
  if (!reply) return std::unexpected(std::move(reply.error()));
  return {};
}

Status DockerClient::removeContainer(std::string_view id, bool force, bool removeVolumes) {
  auto path = containerPath(
      id, queryString({{"force", force ? "1" : "0"}, {"v", removeVolumes ? "1" : "0"}}));
  if (!path) return std::unexpected(std::move(path.error()));
  HttpRequest request;
  request.method = "DELETE";
  request.target = std::move(*path);
  // 404: already gone, the state the caller asked for. (A removal already in progress
  // answers 409 and stays an error: the container still exists.)
  auto reply = send(std::move(request), Subject::container, "remove a container", {404});
  if (!reply) return std::unexpected(std::move(reply.error()));
  return {};
}

Result<ContainerInfo> DockerClient::inspectContainer(std::string_view id) {
  auto path = containerPath(id, "/json");
  if (!path) return std::unexpected(std::move(path.error()));
  HttpRequest request;
  request.target = std::move(*path);
  auto reply = send(std::move(request), Subject::container, "inspect a container");
  if (!reply) return std::unexpected(std::move(reply.error()));
  return decodeContainerInfo(reply->body);
}

Result<std::vector<ContainerSummary>> DockerClient::listContainers(const Filters& filters,
                                                                   bool all) {
  QueryParameters parameters;
  if (all) parameters.emplace_back("all", "1");
  if (auto encoded = encodeFilters(filters); !encoded.empty()) {
    parameters.emplace_back("filters", std::move(encoded));
  }
  HttpRequest request;
  request.target = "/containers/json" + queryString(parameters);
  auto reply = send(std::move(request), Subject::other, "list containers");
  if (!reply) return std::unexpected(std::move(reply.error()));
  return decodeContainerList(reply->body);
}

Result<LogOutput> DockerClient::containerLogs(std::string_view id, std::size_t maxBytes) {
  auto path = containerPath(id, "/logs?stdout=1&stderr=1");
  if (!path) return std::unexpected(std::move(path.error()));
  HttpRequest request;
  request.target = std::move(*path);
  request.maxReplyBytes = maxBytes;
  auto reply = send(std::move(request), Subject::container, "read a container's logs");
  if (!reply) return std::unexpected(std::move(reply.error()));
  auto logs = demultiplexLogs(reply->body);
  if (logs && reply->truncated) logs->truncated = true;
  return logs;
}

}  // namespace stratus::docker
