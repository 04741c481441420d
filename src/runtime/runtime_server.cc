#include "runtime/runtime_server.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/basic_socket_acceptor.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <sys/socket.h>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cerrno>
#include <mutex>
#include <set>

namespace stratus::runtime {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
// TCP inside a sandbox or container; a unix socket behind a Nanos VM's guest-forward rule.
using stream = asio::generic::stream_protocol;
using asio::awaitable;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kHeaderLimit = 16 * 1024;
// The runtime's error objects and responses share the event limit; a little room for
// what a client library wraps around them.
constexpr std::size_t kBodyLimit = kMaxPayloadBytes + 64 * 1024;

using Request = bhttp::request<bhttp::string_body>;
using Response = bhttp::response<bhttp::string_body>;

// Lambda answers the runtime with small JSON objects of this shape.
Response jsonAnswer(unsigned status, std::string body, bool keepAlive) {
  Response response{static_cast<bhttp::status>(status), 11};
  response.set(bhttp::field::content_type, "application/json");
  response.keep_alive(keepAlive);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Response errorAnswer(const Error& error, bool keepAlive) {
  unsigned status = error.kind == ErrorKind::payload_too_large ? 413
                    : error.kind == ErrorKind::not_found       ? 404
                    : error.kind == ErrorKind::unavailable     ? 500
                                                               : 400;
  return jsonAnswer(status,
                    R"({"errorType":")" + error.code + R"(","errorMessage":")" + error.message +
                        R"("})",
                    keepAlive);
}

// The header names the error type; the official Node client (aws-lambda-ric) leaves it
// out on per-invocation errors and puts it only in the body's "errorType".
std::string errorTypeOf(const Request& request) {
  const auto header = request[std::string(kErrorTypeHeader)];
  if (!header.empty()) return std::string(header);
  boost::system::error_code ec;
  const auto body = boost::json::parse(request.body(), ec);
  if (!ec && body.is_object()) {
    if (const auto* type = body.as_object().if_contains("errorType"); type && type->is_string()) {
      return std::string(type->as_string());
    }
  }
  return "Unhandled";
}

Response eventAnswer(const Event& event) {
  Response response{bhttp::status::ok, 11};
  response.set(bhttp::field::content_type, "application/json");
  for (const auto& [name, value] : invocationHeaders(event.context)) response.set(name, value);
  response.keep_alive(true);
  response.body() = event.payload;
  response.prepare_payload();
  return response;
}

}  // namespace

// Connections one instance may hold open at once.
constexpr std::size_t kMaxConnections = 4;

struct RuntimeApiServer::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io, UniqueFd listener, InvocationChannel& channel,
       std::shared_ptr<InvocationChannel> owner)
      : io(io), acceptor(io), channel(channel), owner(std::move(owner)) {
    boost::system::error_code ec;
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    int family = AF_INET;
    if (::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&address), &length) == 0)
      family = address.ss_family;
    acceptor.assign(stream(family, family == AF_UNIX ? 0 : IPPROTO_TCP), listener.release(), ec);
  }

  // One connection. `delivered` is filled by the channel's callback (on whatever thread
  // submits) and the coroutine is woken through `wake`, on the io_context.
  struct Connection {
    explicit Connection(stream::socket socket)
        : socket(std::move(socket)), wake(this->socket.get_executor()) {}
    stream::socket socket;
    asio::steady_timer wake;
    std::mutex mutex;
    std::optional<Event> delivered;
    std::atomic<bool> open{true};
    uint64_t serial = 0;
    bool idle = true;  // between requests (touched on the io_context only)
  };
  using ConnectionPtr = std::shared_ptr<Connection>;

  awaitable<void> acceptLoop() {
    auto self = shared_from_this();
    while (!closed) {
      auto [ec, socket] = co_await acceptor.async_accept(kTuple);
      if (ec == asio::error::operation_aborted || closed) co_return;
      if (ec) {
        // Out of descriptors, say: pause rather than give this instance up for good.
        asio::steady_timer pause(io, std::chrono::milliseconds(50));
        co_await pause.async_wait(kTuple);
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);  // fails harmlessly on a unix socket
      auto connection = std::make_shared<Connection>(std::move(socket));
      connection->serial = ++accepted;
      {
        std::lock_guard lock(mutex);
        // A runtime needs one connection, a few at a stretch (some clients open a new one
        // per request and leave the old ones open); more would only be a function spending
        // the server's descriptors and memory outside its cgroup. The oldest idle one
        // makes room; with none idle, the new one is refused.
        if (connections.size() >= kMaxConnections) {
          ConnectionPtr oldest;
          for (const auto& c : connections)
            if (c->idle && (!oldest || c->serial < oldest->serial)) oldest = c;
          if (!oldest) continue;  // the new socket closes as it goes out of scope
          oldest->open = false;
          oldest->socket.cancel(ec);
          connections.erase(oldest);
        }
        connections.insert(connection);
      }
      asio::co_spawn(io, serve(connection), asio::detached);
    }
  }

  awaitable<void> serve(ConnectionPtr connection) {
    auto self = shared_from_this();
    boost::beast::flat_buffer buffer;
    while (connection->open) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(kHeaderLimit);
      parser.body_limit(kBodyLimit);
      connection->idle = true;
      auto [ec, bytes] = co_await bhttp::async_read(connection->socket, buffer, parser, kTuple);
      connection->idle = false;
      if (ec || !connection->open) break;
      Request request = parser.release();
      Response response = co_await answer(connection, request);
      auto [writeError, written] = co_await bhttp::async_write(connection->socket, response, kTuple);
      if (writeError || !response.keep_alive()) break;
    }
    finish(connection);
  }

  awaitable<Response> answer(ConnectionPtr connection, Request& request) {
    auto route = parseRoute(std::string_view(request.method_string()),
                            std::string_view(request.target()));
    if (!route) co_return errorAnswer(route.error(), request.keep_alive());
    switch (route->endpoint) {
      case Endpoint::next:
        co_return co_await next(connection);
      case Endpoint::response: {
        auto done = channel.respond(route->requestId, std::move(request.body()));
        if (!done) co_return errorAnswer(done.error(), request.keep_alive());
        break;
      }
      case Endpoint::error: {
        std::string type = errorTypeOf(request);  // before the body moves
        auto done = channel.reportError(route->requestId, std::move(type),
                                        std::move(request.body()));
        if (!done) co_return errorAnswer(done.error(), request.keep_alive());
        break;
      }
      case Endpoint::init_error: {
        const auto type = request[std::string(kErrorTypeHeader)];
        (void)channel.reportInitError(type.empty() ? "Runtime.Unknown" : std::string(type),
                                      std::move(request.body()));
        break;
      }
    }
    co_return jsonAnswer(202, R"({"status":"OK"})", request.keep_alive());
  }

  // The long poll: parks the coroutine on a timer that the channel's delivery cancels.
  awaitable<Response> next(ConnectionPtr connection) {
    connection->wake.expires_at(asio::steady_timer::time_point::max());
    std::weak_ptr<Connection> weak = connection;
    auto waited = channel.awaitNext([weak](const Event& event) {
      auto alive = weak.lock();
      if (!alive || !alive->open) return false;
      {
        std::lock_guard lock(alive->mutex);
        alive->delivered = event;
      }
      asio::post(alive->wake.get_executor(), [alive] { alive->wake.cancel(); });
      return true;
    });
    if (!waited) co_return errorAnswer(waited.error(), true);
    while (true) {
      {
        std::lock_guard lock(connection->mutex);
        if (connection->delivered) {
          Event event = std::move(*connection->delivered);
          connection->delivered.reset();
          co_return eventAnswer(event);
        }
      }
      if (!connection->open) {
        co_return errorAnswer(Error{ErrorKind::unavailable, "shutting_down",
                                    "the instance is being stopped", {}},
                              false);
      }
      (void)co_await connection->wake.async_wait(kTuple);
    }
  }

  void finish(const ConnectionPtr& connection) {
    connection->open = false;
    boost::system::error_code ignored;
    connection->socket.close(ignored);
    std::lock_guard lock(mutex);
    connections.erase(connection);
  }

  void closeAll() {
    closed = true;
    boost::system::error_code ignored;
    acceptor.close(ignored);
    std::set<ConnectionPtr> all;
    {
      std::lock_guard lock(mutex);
      all = connections;
    }
    channel.cancelWait();
    for (const auto& connection : all) {
      connection->open = false;
      connection->socket.cancel(ignored);
      connection->wake.cancel();
    }
  }

  asio::io_context& io;
  asio::basic_socket_acceptor<stream> acceptor;
  InvocationChannel& channel;
  std::shared_ptr<InvocationChannel> owner;  // keeps `channel` alive as long as a coroutine runs
  std::atomic<bool> closed{false};
  uint64_t accepted = 0;
  std::mutex mutex;
  std::set<ConnectionPtr> connections;
};

RuntimeApiServer::RuntimeApiServer(asio::io_context& io, UniqueFd listener,
                                   InvocationChannel& channel)
    : impl_(std::make_shared<Impl>(io, std::move(listener), channel, nullptr)) {}

RuntimeApiServer::RuntimeApiServer(asio::io_context& io, UniqueFd listener,
                                   std::shared_ptr<InvocationChannel> channel)
    : impl_(std::make_shared<Impl>(io, std::move(listener), *channel, channel)) {}

RuntimeApiServer::~RuntimeApiServer() { close(); }

void RuntimeApiServer::start() {
  asio::co_spawn(impl_->io, impl_->acceptLoop(), asio::detached);
}

void RuntimeApiServer::close() {
  // On the io_context: the acceptor and sockets are not thread-safe.
  asio::post(impl_->io, [impl = impl_] { impl->closeAll(); });
}

Result<UniqueFd> listenOnLoopback(uint16_t port) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return sysError("socket", errno);
  const int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    return sysError("bind 127.0.0.1:" + std::to_string(port), errno);
  }
  if (::listen(fd.get(), 16) != 0) return sysError("listen", errno);
  return fd;
}

}  // namespace stratus::runtime
