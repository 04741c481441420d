// A tiny blocking HTTP/1.1 server on 127.0.0.1 for HttpClient round trips: one thread per
// connection, keep-alive, Content-Length bodies only (all the client sends). It records every
// request and answers with whatever the test's responder returns.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace stratus::client::testing {

struct RecordedRequest {
  std::string method;
  std::string target;
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::string header(const std::string& name) const;  // first value or ""
  bool hasHeader(const std::string& name) const;
};

struct CannedResponse {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  int delayMs = 0;  // sleep before answering (timeouts)
};

class FakeHttpServer {
 public:
  using Responder = std::function<CannedResponse(const RecordedRequest&)>;
  explicit FakeHttpServer(Responder responder);
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  std::string url() const;  // "http://127.0.0.1:<port>"
  int connectionsAccepted() const { return connections_.load(); }
  std::vector<RecordedRequest> requests() const;

 private:
  void acceptLoop();
  void serve(int fd);

  Responder responder_;
  int listenFd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
  std::vector<int> clientFds_;
  std::vector<std::thread> threads_;
  std::thread acceptThread_;
};

// A port on 127.0.0.1 that nothing listens on (bound, then closed).
int unusedPort();

}  // namespace stratus::client::testing
