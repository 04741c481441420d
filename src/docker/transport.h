// HTTP/1.1 to the Docker daemon through libcurl, over its unix socket or plain TCP. Safe to
// use from many threads at once: each request borrows an easy handle from a small pool of
// idle ones, so requests in sequence reuse the connection and requests in parallel do not
// share a handle.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "curl/curl_support.h"
#include "docker/docker_host.h"

namespace stratus::docker {

struct HttpRequest {
  std::string_view method = "GET";
  std::string target;  // path and query: "/v1.41/containers/json?all=1"
  std::string_view body;
  std::string_view contentType = "application/json";
  // Instead of `body`: send what this descriptor yields until its end, chunked (the size
  // of a tar stream is not known in advance). Borrowed, not closed.
  int bodyFd = -1;
  std::chrono::milliseconds timeout{60'000};  // the whole request; zero means none
  // A longer answer is cut here (the transfer ends) and the reply marked truncated: a
  // container's logs are the container's to make as large as it likes.
  std::size_t maxReplyBytes = 16u << 20;
};

struct HttpReply {
  long status = 0;
  std::string body;
  bool truncated = false;
  bool ok() const { return status >= 200 && status < 300; }
};

class Transport {
 public:
  explicit Transport(DockerEndpoint endpoint) : endpoint_(std::move(endpoint)) {}
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Sends the request and returns whatever status the daemon answered with; an Error
  // only when no complete answer came (unreachable, timed out, cut off, the body
  // descriptor failed). `action` names the request in those errors.
  Result<HttpReply> perform(const HttpRequest& request, std::string_view action);

  const DockerEndpoint& endpoint() const { return endpoint_; }

 private:
  curl::EasyPtr borrowHandle();
  void returnHandle(curl::EasyPtr handle);

  DockerEndpoint endpoint_;
  std::mutex mutex_;
  std::vector<curl::EasyPtr> idle_;
};

// The options every request to the daemon starts from: where to connect, no signals (we
// run in threads), keep-alive, only http. The event stream uses it on its own handle.
void applyEndpoint(CURL* handle, const DockerEndpoint& endpoint, const std::string& target,
                   char* errorBuffer);

// An Error for a transfer that ended with `code`: unreachable, timed out or cut off.
Error transferError(CURL* handle, CURLcode code, const DockerEndpoint& endpoint,
                    std::string_view action, const char* errorBuffer, long timeoutMs);

}  // namespace stratus::docker
