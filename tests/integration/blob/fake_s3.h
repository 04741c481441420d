// A scripted stand-in for S3 on 127.0.0.1, for what a real server will not do on demand:
// answer 503 SlowDown twice, hang, page a listing, or show the headers a client sent.
// One connection at a time, "Connection: close" on every answer; it checks no signature.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "blob/s3/s3_options.h"

namespace stratus::blob::fake {

struct RecordedRequest {
  std::string method;
  std::string target;                          // path and query as sent
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string header(const std::string& name) const {
    auto found = headers.find(name);
    return found == headers.end() ? std::string() : found->second;
  }
  std::string path() const { return target.substr(0, target.find('?')); }
  std::string query() const {
    const std::size_t question = target.find('?');
    return question == std::string::npos ? std::string() : target.substr(question + 1);
  }
};

struct CannedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool hang = false;  // accept the request and never answer
};

inline CannedResponse s3Error(int status, const std::string& code) {
  return {status,
          {{"Content-Type", "application/xml"}},
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code +
              "</Code><Message>canned " + code + "</Message></Error>",
          false};
}

class FakeS3 {
 public:
  using Handler = std::function<CannedResponse(const RecordedRequest&)>;

  explicit FakeS3(Handler handler) : handler_(std::move(handler)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(listener_, 16) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("fake S3: cannot listen");
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }

  ~FakeS3() {
    stopping_ = true;
    thread_.join();
    for (int fd : hung_) ::close(fd);
    ::close(listener_);
  }

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

  std::vector<RecordedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  // Path-style options for bucket "fake-bucket" with quick retries.
  S3Options options() const {
    S3Options options;
    options.bucket = "fake-bucket";
    options.endpoint = endpoint();
    options.pathStyle = true;
    options.accessKeyId = "AKIDFAKE";
    options.secretAccessKey = "fake-secret-never-shown";
    options.backoffBase = std::chrono::milliseconds(5);
    return options;
  }

 private:
  void serve() {
    while (!stopping_) {
      pollfd waiting{listener_, POLLIN, 0};
      if (::poll(&waiting, 1, 50) <= 0) continue;
      const int connection = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (connection < 0) continue;
      RecordedRequest request;
      if (!readRequest(connection, request)) {
        ::close(connection);
        continue;
      }
      const CannedResponse response = handler_(request);
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(std::move(request));
      }
      if (response.hang) {
        hung_.push_back(connection);
        continue;
      }
      writeResponse(connection, response);
      ::close(connection);
    }
  }

  bool readRequest(int fd, RecordedRequest& request) {
    std::string data;
    std::size_t headerEnd = std::string::npos;
    while (headerEnd == std::string::npos) {
      if (!readMore(fd, data)) return false;
      headerEnd = data.find("\r\n\r\n");
    }
    std::string head = data.substr(0, headerEnd);
    std::string body = data.substr(headerEnd + 4);
    const std::size_t firstLineEnd = head.find("\r\n");
    const std::string requestLine = head.substr(0, firstLineEnd);
    const std::size_t space = requestLine.find(' ');
    request.method = requestLine.substr(0, space);
    request.target = requestLine.substr(space + 1, requestLine.rfind(' ') - space - 1);
    std::size_t position = firstLineEnd == std::string::npos ? head.size() : firstLineEnd + 2;
    while (position < head.size()) {
      std::size_t lineEnd = head.find("\r\n", position);
      if (lineEnd == std::string::npos) lineEnd = head.size();
      const std::string line = head.substr(position, lineEnd - position);
      const std::size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        std::size_t valueStart = colon + 1;
        while (valueStart < line.size() && line[valueStart] == ' ') ++valueStart;
        request.headers[name] = line.substr(valueStart);
      }
      position = lineEnd + 2;
    }
    // libcurl asks before sending a large body; answering at once saves its 1 s wait.
    if (request.header("expect") == "100-continue") {
      ::send(fd, "HTTP/1.1 100 Continue\r\n\r\n", 25, MSG_NOSIGNAL);
    }
    const std::size_t length = request.headers.contains("content-length")
                                   ? std::stoul(request.headers["content-length"])
                                   : 0;
    while (body.size() < length) {
      if (!readMore(fd, body)) return false;
    }
    request.body = body.substr(0, length);
    return true;
  }

  bool readMore(int fd, std::string& data) {
    char buffer[64 * 1024];
    pollfd readable{fd, POLLIN, 0};
    if (::poll(&readable, 1, 5000) <= 0) return false;
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got <= 0) return false;
    data.append(buffer, static_cast<std::size_t>(got));
    return true;
  }

  static void writeResponse(int fd, const CannedResponse& response) {
    std::string text = "HTTP/1.1 " + std::to_string(response.status) + " Canned\r\n";
    for (const auto& [name, value] : response.headers) text += name + ": " + value + "\r\n";
    text += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
    text += "Connection: close\r\n\r\n";
    text += response.body;
    std::string_view rest = text;
    while (!rest.empty()) {
      const ssize_t sent = ::send(fd, rest.data(), rest.size(), MSG_NOSIGNAL);
      if (sent <= 0) return;
      rest.remove_prefix(static_cast<std::size_t>(sent));
    }
  }

  Handler handler_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  std::vector<int> hung_;
  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
};

}  // namespace stratus::blob::fake
