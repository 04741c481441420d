// A stand-in for the Docker daemon on a unix socket, for the client's unit tests: one
// connection at a time, each answered with whatever raw bytes the test's responder
// returns and then closed — so a test can answer garbage, cut an answer short, or claim
// any API version, which the real daemon never would.
#pragma once

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "testing/temp_dir.h"

namespace stratus::docker::testing {

struct FakeRequest {
  std::string method;
  std::string target;
  std::string headers;  // the raw header block, lower-cased
  std::string body;     // de-chunked
};

// A complete answer with a Content-Length.
inline std::string reply(int status, const std::string& body,
                         const std::string& contentType = "application/json") {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: " + contentType +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
         body;
}

inline std::string versionReply(const std::string& apiVersion, const std::string& minVersion) {
  return reply(200, R"({"Version":"fake","ApiVersion":")" + apiVersion + R"(","MinAPIVersion":")" +
                        minVersion + R"("})");
}

class FakeDaemon {
 public:
  using Responder = std::function<std::string(const FakeRequest&)>;

  explicit FakeDaemon(Responder responder) : responder_(std::move(responder)) {
    path_ = (dir_.path() / "docker.sock").string();
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path_.c_str());
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(fd_, 16) != 0) {
      std::perror("fake daemon: bind/listen");
    }
    thread_ = std::thread([this] { loop(); });
  }
  ~FakeDaemon() {
    stopping_ = true;
    thread_.join();
    ::close(fd_);
  }
  FakeDaemon(const FakeDaemon&) = delete;
  FakeDaemon& operator=(const FakeDaemon&) = delete;

  std::string host() const { return "unix://" + path_; }
  std::vector<FakeRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void loop() {
    while (!stopping_) {
      pollfd ready{fd_, POLLIN, 0};
      if (::poll(&ready, 1, 50) <= 0) continue;
      const int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) continue;
      serve(client);
      ::close(client);
    }
  }

  // Reads one request (Content-Length or chunked body), answers, and returns.
  void serve(int client) {
    std::string data;
    std::size_t headEnd;
    while ((headEnd = data.find("\r\n\r\n")) == std::string::npos) {
      if (!readMore(client, data)) return;
    }
    FakeRequest request;
    const std::string head = data.substr(0, headEnd);
    const std::size_t space = head.find(' ');
    request.method = head.substr(0, space);
    request.target = head.substr(space + 1, head.find(' ', space + 1) - space - 1);
    request.headers = head;
    std::transform(request.headers.begin(), request.headers.end(), request.headers.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string rest = data.substr(headEnd + 4);
    if (request.headers.find("transfer-encoding: chunked") != std::string::npos) {
      for (;;) {
        std::size_t lineEnd;
        while ((lineEnd = rest.find("\r\n")) == std::string::npos) {
          if (!readMore(client, rest)) return;
        }
        const std::size_t size = std::stoul(rest.substr(0, lineEnd), nullptr, 16);
        while (rest.size() < lineEnd + 2 + size + 2) {
          if (!readMore(client, rest)) return;
        }
        request.body += rest.substr(lineEnd + 2, size);
        rest.erase(0, lineEnd + 2 + size + 2);
        if (size == 0) break;
      }
    } else if (auto at = request.headers.find("content-length: "); at != std::string::npos) {
      const std::size_t length = std::stoul(request.headers.substr(at + 16));
      while (rest.size() < length) {
        if (!readMore(client, rest)) return;
      }
      request.body = rest.substr(0, length);
    }
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
    }
    const std::string answer = responder_(request);
    std::size_t sent = 0;
    while (sent < answer.size()) {
      const ssize_t wrote =
          ::send(client, answer.data() + sent, answer.size() - sent, MSG_NOSIGNAL);
      if (wrote <= 0) return;
      sent += static_cast<std::size_t>(wrote);
    }
  }

  static bool readMore(int client, std::string& data) {
    char buffer[65536];
    const ssize_t got = ::recv(client, buffer, sizeof buffer, 0);
    if (got <= 0) return false;
    data.append(buffer, static_cast<std::size_t>(got));
    return true;
  }

  Responder responder_;
  ::stratus::testing::TempDir dir_;
  std::string path_;
  int fd_ = -1;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<FakeRequest> requests_;
  std::thread thread_;
};

}  // namespace stratus::docker::testing
