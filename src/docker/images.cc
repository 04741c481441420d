// DockerClient's image endpoints (Engine API "Image" section).
#include <fcntl.h>

#include <cerrno>

#include "common/unique_fd.h"
#include "docker/api_errors.h"
#include "docker/docker_client.h"
#include "docker/json_decode.h"
#include "docker/request_encode.h"
#include "docker/transport.h"

namespace stratus::docker {

Result<std::vector<ImageSummary>> DockerClient::listImages(const Filters& filters) {
  QueryParameters parameters;
  if (auto encoded = encodeFilters(filters); !encoded.empty()) {
    parameters.emplace_back("filters", std::move(encoded));
  }
  HttpRequest request;
  request.target = "/images/json" + queryString(parameters);
  auto reply = send(std::move(request), Subject::other, "list images");
  if (!reply) return std::unexpected(std::move(reply.error()));
  return decodeImageList(reply->body);
}

Result<ImageInfo> DockerClient::inspectImage(std::string_view name) {
  if (auto checked = checkObjectName(name, NameKind::image); !checked) {
    return std::unexpected(checked.error());
  }
  HttpRequest request;
  request.target = "/images/" + std::string(name) + "/json";
  auto reply = send(std::move(request), Subject::image, "inspect image " + std::string(name));
  if (!reply) return std::unexpected(std::move(reply.error()));
  return decodeImageInfo(reply->body);
}

Result<std::string> DockerClient::importImage(const ImageImport& image, int tarFd) {
  const std::string reference = image.repository + ":" + image.tag;
  if (auto checked = checkObjectName(reference, NameKind::image); !checked) {
    return std::unexpected(checked.error());
  }
  QueryParameters parameters{{"fromSrc", "-"}, {"repo", image.repository}, {"tag", image.tag}};
  for (auto& change : labelChanges(image.labels))
    parameters.emplace_back("changes", std::move(change));
  HttpRequest request;
  request.method = "POST";
  request.target = "/images/create" + queryString(parameters);
  request.bodyFd = tarFd;
  request.contentType = "application/x-tar";
  // A few hundred megabytes through a pipe: as long as it takes.
  request.timeout = std::chrono::milliseconds(0);
  auto reply = send(std::move(request), Subject::other, "import image " + reference);
  if (!reply) return std::unexpected(std::move(reply.error()));
  return decodeImportResult(reply->body);
}

Result<std::string> DockerClient::importImageFile(const ImageImport& image,
                                                  const std::string& tarPath) {
  UniqueFd fd(::open(tarPath.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return sysError("open " + tarPath, errno);
  return importImage(image, fd.get());
}

Status DockerClient::removeImage(std::string_view name, bool force) {
  if (auto checked = checkObjectName(name, NameKind::image); !checked) {
    return std::unexpected(checked.error());
  }
  HttpRequest request;
  request.method = "DELETE";
  request.target = "/images/" + std::string(name) + queryString({{"force", force ? "1" : "0"}});
  auto reply = send(std::move(request), Subject::image, "remove image " + std::string(name));
  if (!reply) return std::unexpected(std::move(reply.error()));
  return {};
}

}  // namespace stratus::docker
