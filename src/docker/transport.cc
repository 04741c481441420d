#include "docker/transport.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "docker/api_errors.h"

namespace stratus::docker {
namespace {

constexpr const char* kUserAgent = "stratus-docker/0.1";
constexpr std::size_t kIdleHandles = 8;

struct Transfer {
  CURL* handle = nullptr;
  HttpReply* reply = nullptr;
  std::size_t maxReplyBytes = 0;
  int bodyFd = -1;
  int readErrno = 0;
};

std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  std::string& body = transfer->reply->body;
  const std::size_t room = transfer->maxReplyBytes - std::min(body.size(), transfer->maxReplyBytes);
  if (bytes > room) {
    body.append(data, room);
    transfer->reply->truncated = true;
    return CURL_WRITEFUNC_ERROR;  // ends the transfer; perform() knows why
  }
  body.append(data, bytes);
  return bytes;
}

std::size_t onReadBody(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  for (;;) {
    const ssize_t got = ::read(transfer->bodyFd, buffer, size * count);
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno == EINTR) continue;
    transfer->readErrno = errno;
    return CURL_READFUNC_ABORT;
  }
}

}  // namespace

void applyEndpoint(CURL* handle, const DockerEndpoint& endpoint, const std::string& target,
                   char* errorBuffer) {
  const std::string url = endpoint.baseUrl() + target;
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  if (endpoint.isUnixSocket()) {
    curl_easy_setopt(handle, CURLOPT_UNIX_SOCKET_PATH, endpoint.socketPath.c_str());
  }
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, errorBuffer);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http");
  curl_easy_setopt(handle, CURLOPT_USERAGENT, kUserAgent);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, 10'000L);
  // Redirects are never part of the Engine API: following one could only lead elsewhere.
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
}

Error transferError(CURL* handle, CURLcode code, const DockerEndpoint& endpoint,
                    std::string_view action, const char* errorBuffer, long timeoutMs) {
  std::string detail = errorBuffer[0] ? errorBuffer : curl_easy_strerror(code);
  if (code == CURLE_OPERATION_TIMEDOUT) return timeoutError(endpoint, action, timeoutMs);
  long osErrno = 0;
  if (code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST) {
    curl_easy_getinfo(handle, CURLINFO_OS_ERRNO, &osErrno);
    return unreachableError(endpoint, detail, static_cast<int>(osErrno));
  }
  // Connected, then the answer broke off: the daemon went away mid-request.
  Error error = unreachableError(endpoint, detail, 0);
  error.message = "the Docker daemon at " + endpoint.display + " broke off while asked to " +
                  std::string(action) + ": " + detail;
  return error;
}

curl::EasyPtr Transport::borrowHandle() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      curl::EasyPtr handle = std::move(idle_.back());
      idle_.pop_back();
      return handle;
    }
  }
  return curl::newEasyHandle();
}

void Transport::returnHandle(curl::EasyPtr handle) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < kIdleHandles) idle_.push_back(std::move(handle));
}

Result<HttpReply> Transport::perform(const HttpRequest& request, std::string_view action) {
  curl::EasyPtr handle = borrowHandle();
  CURL* h = handle.get();
  // reset keeps the connection cache (curl_easy_reset(3)): keep-alive survives, options
  // from the last request do not.
  curl_easy_reset(h);
  char errorBuffer[CURL_ERROR_SIZE] = {};
  HttpReply reply;
  Transfer transfer{h, &reply, request.maxReplyBytes, request.bodyFd, 0};
  applyEndpoint(h, endpoint_, request.target, errorBuffer);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, onBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);

  curl::SlistPtr headers;
  const std::string method(request.method);
  if (request.bodyFd >= 0) {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, onReadBody);
    curl_easy_setopt(h, CURLOPT_READDATA, &transfer);
    curl::append(headers, "Transfer-Encoding: chunked");
    curl::append(headers, "Content-Type: " + std::string(request.contentType));
  } else if (method == "POST" || !request.body.empty()) {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.empty() ? "" : request.body.data());
    if (!request.body.empty()) {
      curl::append(headers, "Content-Type: " + std::string(request.contentType));
    }
  } else {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  }
  if (method != "GET" && method != "POST") {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  // Without this libcurl waits up to a second for "100 Continue" before a large body.
  curl::append(headers, "Expect:");
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());

  const CURLcode code = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply.status);
  // The connection is only worth keeping after a complete exchange.
  if (code == CURLE_OK) returnHandle(std::move(handle));
  if (code == CURLE_WRITE_ERROR && reply.truncated) return reply;
  if (transfer.readErrno != 0) {
    return std::unexpected(Error{ErrorKind::internal,
                                 "docker_body_failed",
                                 "reading what to send to the Docker daemon failed: " +
                                     std::string(std::strerror(transfer.readErrno)),
                                 {}});
  }
  if (code != CURLE_OK) {
    return std::unexpected(transferError(h, code, endpoint_, action, errorBuffer,
                                         static_cast<long>(request.timeout.count())));
  }
  return reply;
}

}  // namespace stratus::docker
