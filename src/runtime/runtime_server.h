// Serves one instance's Runtime API from the host's event loop. The caller makes the
// listening socket (for the sandbox: inside the instance's network namespace, so the
// runtime reaches it at 127.0.0.1 and nothing else does) and hands over its descriptor.
//
// A /next that finds no event waits on the connection without holding a thread; the
// event, when submitted, goes out as one write of headers and body (TCP_NODELAY).
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>

#include "common/error.h"
#include "common/unique_fd.h"
#include "runtime/invocation_channel.h"

namespace stratus::runtime {

class RuntimeApiServer {
 public:
  // Takes `listener` (a bound, listening TCP or unix stream socket). `channel` must
  // outlive the server.
  RuntimeApiServer(boost::asio::io_context& io, UniqueFd listener, InvocationChannel& channel);
  // Shares ownership of `channel`: connections still winding down on the event loop after
  // the server is gone keep it alive.
  RuntimeApiServer(boost::asio::io_context& io, UniqueFd listener,
                   std::shared_ptr<InvocationChannel> channel);
  ~RuntimeApiServer();
  RuntimeApiServer(const RuntimeApiServer&) = delete;
  RuntimeApiServer& operator=(const RuntimeApiServer&) = delete;

  void start();  // begins accepting on the io_context
  void close();  // stops accepting and closes every connection; thread-safe

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// A TCP socket listening on 127.0.0.1:`port` (0: any), in the calling thread's network
// namespace, close-on-exec.
Result<UniqueFd> listenOnLoopback(uint16_t port);

}  // namespace stratus::runtime
