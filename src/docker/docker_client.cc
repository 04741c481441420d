#include "docker/docker_client.h"

#include <algorithm>

#include "docker/api_errors.h"
#include "docker/json_decode.h"
#include "docker/request_encode.h"
#include "docker/transport.h"

namespace stratus::docker {

DockerClient::DockerClient(std::shared_ptr<Transport> transport, ApiVersion version,
                           VersionInfo daemon)
    : transport_(std::move(transport)), apiVersion_(version), daemonVersion_(std::move(daemon)) {}

Result<DockerClient> DockerClient::connect(const DockerEndpoint& endpoint) {
  auto transport = std::make_shared<Transport>(endpoint);
  // /version is the one endpoint asked without a version prefix: its answer decides it.
  HttpRequest request;
  request.target = "/version";
  request.timeout = std::chrono::seconds(10);
  auto reply = transport->perform(request, "report its version");
  if (!reply) return std::unexpected(std::move(reply.error()));
  if (!reply->ok())
    return std::unexpected(
        apiError(reply->status, reply->body, Subject::other, "report its version"));
  auto info = decodeVersion(reply->body);
  if (!info) return std::unexpected(std::move(info.error()));
  auto version = negotiateApiVersion(info->apiVersion, info->minApiVersion);
  if (!version) return std::unexpected(std::move(version.error()));
  return DockerClient(std::move(transport), *version, std::move(*info));
}

Result<DockerClient> DockerClient::connectFromEnvironment() {
  auto endpoint = endpointFromEnvironment();
  if (!endpoint) return std::unexpected(std::move(endpoint.error()));
  return connect(*endpoint);
}

const DockerEndpoint& DockerClient::endpoint() const { return transport_->endpoint(); }

Result<HttpReply> DockerClient::send(HttpRequest request, Subject subject, std::string_view action,
                                     std::initializer_list<long> alsoAccepted) {
  request.target = "/v" + apiVersion_.text() + request.target;
  auto reply = transport_->perform(request, action);
  if (!reply) return reply;
  const bool accepted =
      std::find(alsoAccepted.begin(), alsoAccepted.end(), reply->status) != alsoAccepted.end();
  if (!reply->ok() && !accepted) {
    return std::unexpected(apiError(reply->status, reply->body, subject, action));
  }
  return reply;
}

Status DockerClient::ping() {
  HttpRequest request;
  request.target = "/_ping";
  request.timeout = std::chrono::seconds(5);
  auto reply = send(std::move(request), Subject::other, "answer a ping");
  if (!reply) return std::unexpected(std::move(reply.error()));
  return {};
}

Result<EventSubscriptionPtr> DockerClient::subscribeEvents(const EventQuery& query,
                                                           EventCallback onEvent,
                                                           EndCallback onEnd) {
  QueryParameters parameters;
  if (query.since) parameters.emplace_back("since", std::to_string(*query.since));
  if (auto filters = encodeFilters(query.filters); !filters.empty()) {
    parameters.emplace_back("filters", std::move(filters));
  }
  return EventSubscription::start(endpoint(),
                                  "/v" + apiVersion_.text() + "/events" + queryString(parameters),
                                  std::move(onEvent), std::move(onEnd));
}

}  // namespace stratus::docker
