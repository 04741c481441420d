// The HTTP/1.1 server: Boost.Beast on Asio with C++20 coroutines. I/O runs on a few event
// loop threads; handlers (which may block on storage or an executor) run on a separate
// worker pool so a slow function never stalls other connections.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"
#include "http/message.h"

namespace stratus::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port (tests)
  int ioThreads = 2;
  int workerThreads = 32;
  std::size_t headerLimit = 16 * 1024;
  // Body limit for a request, chosen from its method and target before the body is read;
  // defaultBodyLimit when unset. A larger body gets 413 "payload_too_large".
  std::function<std::size_t(std::string_view method, std::string_view target)> bodyLimit;
  std::size_t defaultBodyLimit = 1024 * 1024;
  std::chrono::seconds readTimeout{30};  // whole request, headers and body
  std::chrono::seconds idleTimeout{60};  // keep-alive wait for the next request
  std::chrono::seconds shutdownGrace{30};
  // run() stops on SIGTERM/SIGINT; tests and embedders that own signals turn this off.
  bool handleSignals = true;
};

class Server {
 public:
  Server(ServerOptions options, std::function<Response(Request&)> handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  Status listen();  // binds; after this port() is the real port
  uint16_t port() const;
  // Serves until stop() or SIGTERM/SIGINT, then stops accepting, closes idle keep-alive
  // connections, lets in-flight requests finish (up to shutdownGrace) and returns. Calls
  // listen() first if it was not called. Call it once.
  // A handler still running when the grace period ends is abandoned by run(), but the
  // destructor waits for it: a worker thread cannot be interrupted.
  void run();
  void stop();  // thread-safe; also before run() (run() then returns at once) or from a handler

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stratus::http
