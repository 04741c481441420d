#include "unit/http/test_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace stratus::http::testing {

using Clock = std::chrono::steady_clock;

std::string RawResponse::header(std::string_view name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

TestConnection::TestConnection(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fd_ = fd;
}

TestConnection::~TestConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool TestConnection::send(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool TestConnection::fill(Clock::time_point deadline) {
  if (fd_ < 0 || eof_) return false;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (left.count() <= 0) return false;
  pollfd pfd{fd_, POLLIN, 0};
  int ready = ::poll(&pfd, 1, static_cast<int>(left.count()));
  if (ready <= 0) return false;
  char chunk[16384];
  ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) {
    eof_ = true;
    return false;
  }
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

std::optional<std::string> TestConnection::readHead(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  std::size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill(deadline)) return std::nullopt;
  }
  std::string head = buffer_.substr(0, end + 4);
  buffer_.erase(0, end + 4);
  return head;
}

std::optional<RawResponse> TestConnection::readResponse(std::chrono::milliseconds timeout,
                                                        bool headOnly) {
  auto deadline = Clock::now() + timeout;
  auto head = readHead(timeout);
  if (!head) return std::nullopt;

  RawResponse response;
  std::string_view text = *head;
  std::size_t lineEnd = text.find("\r\n");
  std::string_view statusLine = text.substr(0, lineEnd);
  if (!statusLine.starts_with("HTTP/1.") || statusLine.size() < 12) return std::nullopt;
  response.status = std::atoi(std::string(statusLine.substr(9, 3)).c_str());
  std::size_t pos = lineEnd + 2;
  while (pos < text.size()) {
    std::size_t end = text.find("\r\n", pos);
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 2;
    if (line.empty()) break;
    std::size_t colon = line.find(':');
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    response.headers.emplace(std::string(line.substr(0, colon)), std::string(value));
  }

  std::string length = response.header("Content-Length");
  bool bodyless =
      headOnly || response.status == 204 || response.status == 304 || response.status / 100 == 1;
  if (bodyless) return response;
  if (!length.empty()) {
    std::size_t size = std::stoul(length);
    while (buffer_.size() < size) {
      if (!fill(deadline)) return std::nullopt;
    }
    response.body = buffer_.substr(0, size);
    buffer_.erase(0, size);
  } else {
    while (fill(deadline)) {
    }
    response.body = std::move(buffer_);
    buffer_.clear();
  }
  return response;
}

bool TestConnection::waitClosed(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (!eof_) {
    if (!fill(deadline) && !eof_) return false;
  }
  return true;
}

std::string getRequest(std::string_view target, std::string_view extraHeaders) {
  std::string request = "GET ";
  request.append(target).append(" HTTP/1.1\r\nHost: test\r\n");
  request.append(extraHeaders).append("\r\n");
  return request;
}

std::optional<RawResponse> roundTrip(uint16_t port, std::string_view request) {
  TestConnection connection(port);
  if (!connection.connected() || !connection.send(request)) return std::nullopt;
  return connection.readResponse();
}

}  // namespace stratus::http::testing
