// The only translation unit that includes Beast and Asio (they cost ~16 s of compile time per
// file). Shape: one coroutine per connection on its own strand, the handler hopped onto a
// worker pool and awaited, shutdown driven from one server strand.
#include "http/server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cmath>
#include <csignal>
#include <ctime>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <vector>

#include "common/crypto.h"
#include "common/log.h"
#include "http/content_type.h"
#include "http/query.h"

namespace stratus::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using Clock = std::chrono::steady_clock;
using ErrorCode = boost::system::error_code;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
// After an error response to a request whose body we did not read, keep reading (and
// discarding) for a while before closing: closing a socket with unread input makes the kernel
// send RST, which can destroy the response before the client has read it.
constexpr std::chrono::seconds kLingerTime{2};
constexpr std::chrono::seconds kErrorWriteTimeout{5};
constexpr std::size_t kFirstReadSize = 4096;
constexpr std::string_view kServerName = "stratus";

bool isValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

// Handlers build headers from user input at times; CR or LF in a value would let that input
// add headers or split the response (Beast 1.81 does not check).
bool isSafeHeaderValue(std::string_view value) {
  return std::none_of(value.begin(), value.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
  });
}

// Headers the server computes itself; a handler's copy would contradict ours.
bool isServerOwnedHeader(std::string_view name) {
  return equalsIgnoreCase(name, "content-length") || equalsIgnoreCase(name, "transfer-encoding") ||
         equalsIgnoreCase(name, "connection") || equalsIgnoreCase(name, "date") ||
         equalsIgnoreCase(name, "x-request-id") || equalsIgnoreCase(name, "keep-alive");
}

// IMF-fixdate, formatted at most once per second per thread.
std::string httpDate() {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  thread_local std::time_t cachedSecond = -1;
  thread_local std::string cached;
  std::time_t now = std::time(nullptr);
  if (now != cachedSecond) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[40];
    std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday % 7],
                  tm.tm_mday, kMonths[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    cached = text;
    cachedSecond = now;
  }
  return cached;
}

bool isParseError(const ErrorCode& ec) {
  static const auto& category = bhttp::make_error_code(bhttp::error::bad_method).category();
  return ec.category() == category && ec != bhttp::error::end_of_stream &&
         ec != bhttp::error::partial_message;
}

std::string describeBytes(std::size_t bytes) {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
    return std::to_string(bytes / (1024 * 1024)) + " MiB";
  }
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB";
  return std::to_string(bytes) + " bytes";
}

void logException(std::string_view where, std::exception_ptr error) {
  if (!error) return;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    log::error("unexpected exception", {{"where", where}, {"error", e.what()}});
  } catch (...) {
    log::error("unexpected exception", {{"where", where}, {"error", "unknown"}});
  }
}

struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  std::string remoteAddress;
  // Waiting for the first byte of a request; shutdown closes such connections at once.
  // Only touched on the connection's strand.
  bool idle = true;
};
using ConnectionPtr = std::shared_ptr<Connection>;

// What the connection does after one request/response exchange.
enum class After { keepAlive, close, drainAndClose };

// What the access log line needs to know about one exchange.
struct Exchange {
  Clock::time_point started;
  unsigned version = 11;
  std::string method;
  std::string rawPath;  // without the query
  std::string requestId;
};

}  // namespace

struct Server::Impl {
  Impl(ServerOptions serverOptions, std::function<Response(Request&)> requestHandler)
      : options(std::move(serverOptions)),
        handler(std::move(requestHandler)),
        io(std::max(1, options.ioThreads)),
        workers(static_cast<std::size_t>(std::max(1, options.workerThreads))) {}

  // Declaration order matters for destruction: coroutine frames are destroyed inside
  // ~io_context and their guards touch `mutex`/`connections`, so those come before `io`; the
  // worker pool is joined first, so in-flight handlers never outlive the io_context.
  ~Impl() {
    workers.join();
    std::lock_guard lock(mutex);
    destroying = true;
    connections.clear();
  }

  Status listen();
  void run();
  void requestStop();

 private:
  void beginShutdown();
  void connectionEnded(const ConnectionPtr& connection);
  awaitable<void> acceptLoop();
  void startConnection(tcp::socket socket);
  awaitable<void> session(ConnectionPtr connection);
  awaitable<After> serveOne(Connection& connection, beast::flat_buffer& buffer,
                            Clock::time_point started);
  awaitable<Response> callHandler(Request& request);
  Response invokeHandler(Request& request);
  awaitable<After> sendError(Connection& connection, const Exchange& exchange, int status,
                             std::string code, std::string message, After after);
  awaitable<bool> send(Connection& connection, const Exchange& exchange, Response response,
                       bool keepAlive, std::chrono::seconds timeout);
  void logExchange(const Connection& connection, const Exchange& exchange, int status,
                   std::size_t bytes);

 public:
  const ServerOptions options;
  const std::function<Response(Request&)> handler;

  std::mutex mutex;
  std::unordered_set<ConnectionPtr> connections;  // guarded by mutex
  bool destroying = false;                        // guarded by mutex
  std::atomic<bool> stopping{false};
  std::atomic<bool> stopRequested{false};
  std::atomic<uint16_t> boundPort{0};

  asio::io_context io;
  asio::strand<asio::io_context::executor_type> serverStrand{asio::make_strand(io)};
  tcp::acceptor acceptor{serverStrand};
  asio::signal_set signals{serverStrand};
  asio::steady_timer graceTimer{serverStrand};
  bool shutdownStarted = false;  // only touched on serverStrand
  asio::thread_pool workers;
};

Status Server::Impl::listen() {
  ErrorCode ec;
  const std::string where = options.host + ":" + std::to_string(options.port);
  auto failed = [&](std::string_view step) {
    return fail(ErrorKind::internal, "listen_failed",
                "listen on " + where + ": " + std::string(step) + ": " + ec.message());
  };
  tcp::endpoint endpoint;
  auto address = asio::ip::make_address(options.host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, options.port);
  } else {
    tcp::resolver resolver(io);
    auto results = resolver.resolve(options.host, std::to_string(options.port), ec);
    if (ec) return failed("resolve");
    if (results.empty()) return failed("resolve");
    endpoint = *results.begin();
  }
  acceptor.open(endpoint.protocol(), ec);
  if (ec) return failed("open");
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return failed("SO_REUSEADDR");
  acceptor.bind(endpoint, ec);
  if (ec) {
    ErrorCode ignored;
    acceptor.close(ignored);
    return failed("bind");
  }
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    ErrorCode ignored;
    acceptor.close(ignored);
    return failed("listen");
  }
  boundPort = acceptor.local_endpoint(ec).port();
  log::info("listening", {{"host", options.host}, {"port", boundPort.load()}});
  return {};
}

void Server::Impl::run() {
  if (!acceptor.is_open()) {
    if (auto status = listen(); !status) {
      log::error("cannot serve", {{"detail", status.error().describe()}});
      return;
    }
  }
  if (options.handleSignals) {
    signals.add(SIGINT);
    signals.add(SIGTERM);
    signals.async_wait([this](ErrorCode ec, int signal) {
      if (ec) return;
      log::info("signal received, shutting down", {{"signal", signal}});
      beginShutdown();
    });
  }
  asio::co_spawn(serverStrand, acceptLoop(),
                 [](std::exception_ptr error) { logException("accept loop", error); });
  if (stopRequested) asio::post(serverStrand, [this] { beginShutdown(); });

  std::vector<std::thread> threads;
  for (int i = 1; i < options.ioThreads; ++i) threads.emplace_back([this] { io.run(); });
  io.run();
  for (auto& thread : threads) thread.join();
  log::info("server stopped");
}

void Server::Impl::requestStop() {
  stopRequested = true;
  asio::post(serverStrand, [this] { beginShutdown(); });
}

void Server::Impl::beginShutdown() {
  if (shutdownStarted) return;
  shutdownStarted = true;
  stopping = true;
  ErrorCode ignored;
  acceptor.close(ignored);
  signals.cancel(ignored);
  signals.clear(ignored);  // a second SIGINT now kills the process, as an operator expects

  std::vector<ConnectionPtr> open;
  {
    std::lock_guard lock(mutex);
    open.assign(connections.begin(), connections.end());
  }
  log::info("shutting down", {{"open_connections", open.size()}});
  if (open.empty()) return;
  for (const ConnectionPtr& connection : open) {
    asio::post(connection->stream.get_executor(), [connection] {
      if (!connection->idle) return;  // busy: it closes after its response
      ErrorCode ec;
      connection->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
      connection->stream.socket().close(ec);
    });
  }
  graceTimer.expires_after(options.shutdownGrace);
  graceTimer.async_wait([this](ErrorCode ec) {
    if (ec) return;  // cancelled: every connection finished in time
    std::size_t left;
    {
      std::lock_guard lock(mutex);
      left = connections.size();
    }
    log::warn("shutdown grace period over, abandoning requests", {{"open_connections", left}});
    io.stop();
  });
}

void Server::Impl::connectionEnded(const ConnectionPtr& connection) {
  std::lock_guard lock(mutex);
  if (destroying) return;
  connections.erase(connection);
  if (stopping && connections.empty()) {
    asio::post(serverStrand, [this] { graceTimer.cancel(); });
  }
}

awaitable<void> Server::Impl::acceptLoop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), kTuple);
    if (stopping) break;
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) break;
      // EMFILE and the like: back off rather than spin on a failing accept.
      log::warn("accept failed", {{"error", ec.message()}});
      asio::steady_timer pause(serverStrand, std::chrono::milliseconds(100));
      co_await pause.async_wait(kTuple);
      continue;
    }
    startConnection(tcp::socket(std::move(socket)));
  }
}

void Server::Impl::startConnection(tcp::socket socket) {
  ErrorCode ec;
  // Headers and body go out in one write anyway; NODELAY keeps the kernel from holding back
  // the tail of a response that spans several segments.
  socket.set_option(tcp::no_delay(true), ec);
  auto remote = socket.remote_endpoint(ec);
  auto connection = std::make_shared<Connection>(std::move(socket));
  if (!ec) connection->remoteAddress = remote.address().to_string();
  {
    std::lock_guard lock(mutex);
    connections.insert(connection);
  }
  asio::co_spawn(connection->stream.get_executor(), session(connection),
                 [](std::exception_ptr error) { logException("connection", error); });
}

awaitable<void> Server::Impl::session(ConnectionPtr connection) {
  struct Guard {
    Impl* impl;
    ConnectionPtr connection;
    ~Guard() { impl->connectionEnded(connection); }
  } guard{this, connection};

  beast::tcp_stream& stream = connection->stream;
  beast::flat_buffer buffer;
  bool first = true;
  After after = After::close;
  while (!stopping) {
    // Wait for the first byte of the next request under the idle timeout; the read timeout
    // covers the request from there on.
    connection->idle = true;
    if (buffer.size() == 0) {
      stream.expires_after(first ? std::min(options.idleTimeout, options.readTimeout)
                                 : options.idleTimeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(kFirstReadSize), kTuple);
      if (ec) break;  // idle timeout, the client left, or shutdown closed us
      buffer.commit(n);
    }
    connection->idle = false;
    first = false;
    after = co_await serveOne(*connection, buffer, Clock::now());
    if (after != After::keepAlive) break;
  }

  ErrorCode ec;
  if (after == After::drainAndClose && stream.socket().is_open()) {
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream.expires_after(kLingerTime);
    std::array<char, 16 * 1024> scratch;
    for (;;) {
      auto [readError, n] = co_await stream.async_read_some(asio::buffer(scratch), kTuple);
      if (readError) break;
    }
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.socket().close(ec);
}

awaitable<After> Server::Impl::serveOne(Connection& connection, beast::flat_buffer& buffer,
                                        Clock::time_point started) {
  beast::tcp_stream& stream = connection.stream;
  Exchange exchange{started};
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(options.headerLimit, std::numeric_limits<std::uint32_t>::max())));
  // No limit while reading the header: Beast would check Content-Length against its default
  // before we had chosen the limit for this target.
  parser.body_limit(boost::none);

  stream.expires_after(options.readTimeout);
  auto [headerError, headerBytes] =
      co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
  if (headerError) {
    if (headerError == bhttp::error::header_limit) {
      co_return co_await sendError(connection, exchange, 431, "headers_too_large",
                                   "request headers exceed " + describeBytes(options.headerLimit),
                                   After::drainAndClose);
    }
    if (headerError == beast::error::timeout) {
      // tcp_stream has closed the socket already, so no 408 can be sent; log it as one.
      logExchange(connection, exchange, 408, 0);
      co_return After::close;
    }
    if (isParseError(headerError)) {
      co_return co_await sendError(connection, exchange, 400, "bad_request",
                                   "malformed HTTP request: " + headerError.message(),
                                   After::drainAndClose);
    }
    co_return After::close;  // the client went away mid-request
  }

  {
    const auto& header = parser.get();
    exchange.version = header.version();
    exchange.method = std::string(header.method_string());
    exchange.rawPath = std::string(rawPathOf(header.target()));
    if (auto id = header["X-Request-Id"]; isValidRequestId(id)) {
      exchange.requestId = std::string(id);
    } else {
      exchange.requestId = randomHex(8);
    }
    // RFC 9112 §3.2: a 1.1 request without Host gets 400.
    if (exchange.version == 11 && header.find(bhttp::field::host) == header.end()) {
      co_return co_await sendError(connection, exchange, 400, "bad_request",
                                   "HTTP/1.1 request without a Host header", After::drainAndClose);
    }
  }

  if (!parser.is_done()) {
    std::size_t limit = options.bodyLimit
                            ? options.bodyLimit(exchange.method, parser.get().target())
                            : options.defaultBodyLimit;
    const std::string tooLarge = "request body exceeds the limit of " + describeBytes(limit);
    if (auto length = parser.content_length(); length && *length > limit) {
      co_return co_await sendError(connection, exchange, 413, "payload_too_large", tooLarge,
                                   After::drainAndClose);
    }
    parser.body_limit(limit);
    auto expect = parser.get()[bhttp::field::expect];
    if (exchange.version == 11 && equalsIgnoreCase(expect, "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      auto [ec, n] = co_await asio::async_write(stream, asio::buffer(kContinue), kTuple);
      if (ec) co_return After::close;
    }
    auto [bodyError, bodyBytes] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
    if (bodyError) {
      if (bodyError == bhttp::error::body_limit) {
        co_return co_await sendError(connection, exchange, 413, "payload_too_large", tooLarge,
                                     After::drainAndClose);
      }
      if (bodyError == beast::error::timeout) {
        logExchange(connection, exchange, 408, 0);
        co_return After::close;
      }
      if (isParseError(bodyError)) {
        co_return co_await sendError(connection, exchange, 400, "bad_request",
                                     "malformed HTTP request body: " + bodyError.message(),
                                     After::drainAndClose);
      }
      co_return After::close;
    }
  }

  const bool clientKeepAlive = parser.get().keep_alive();
  bhttp::request<bhttp::string_body> message = parser.release();
  Request request;
  request.method = exchange.method;
  request.target = std::string(message.target());
  for (const auto& field : message) {
    request.headers.emplace(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(message.body());
  request.remoteAddress = connection.remoteAddress;
  request.requestId = exchange.requestId;

  Response response;
  if (auto target = parseTarget(request.target); !target) {
    response = Response::error(target.error());
  } else {
    request.path = std::move(target->path);
    request.query = std::move(target->query);
    response = co_await callHandler(request);
  }
  bool keepAlive = clientKeepAlive && !stopping;
  if (auto connectionHeader = response.header("Connection");
      connectionHeader && equalsIgnoreCase(*connectionHeader, "close")) {
    keepAlive = false;
  }
  bool sent =
      co_await send(connection, exchange, std::move(response), keepAlive, options.readTimeout);
  co_return sent&& keepAlive ? After::keepAlive : After::close;
}

awaitable<Response> Server::Impl::callHandler(Request& request) {
  // Handlers block (SQLite, a function running for minutes): run them on the worker pool so
  // the event loop keeps serving other connections, and resume here when they return.
  co_return co_await asio::co_spawn(
      workers.get_executor(),
      [this, &request]() -> awaitable<Response> { co_return invokeHandler(request); },
      asio::use_awaitable);
}

Response Server::Impl::invokeHandler(Request& request) {
  std::string what;
  try {
    return handler(request);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
    what = "unknown exception";
  }
  log::error("handler threw", {{"request_id", request.requestId},
                               {"method", request.method},
                               {"path", request.path},
                               {"error", what}});
  return Response::error(500, "internal", "internal error");
}

awaitable<After> Server::Impl::sendError(Connection& connection, const Exchange& exchange,
                                         int status, std::string code, std::string message,
                                         After after) {
  Exchange copy = exchange;
  if (copy.requestId.empty()) copy.requestId = randomHex(8);
  co_await send(connection, copy, Response::error(status, std::move(code), std::move(message)),
                /*keepAlive=*/false, kErrorWriteTimeout);
  co_return after;
}

awaitable<bool> Server::Impl::send(Connection& connection, const Exchange& exchange,
                                   Response response, bool keepAlive,
                                   std::chrono::seconds timeout) {
  if (response.status < 200 || response.status > 599) {
    log::error("handler returned an invalid status",
               {{"request_id", exchange.requestId}, {"status", response.status}});
    response = Response::error(500, "internal", "internal error");
  }
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(response.status),
                                          exchange.version};
  bool haveServer = false;
  for (const auto& [name, value] : response.headers) {
    if (!isToken(name) || !isSafeHeaderValue(value)) {
      log::warn("dropped an unsafe response header", {{"request_id", exchange.requestId}});
      continue;
    }
    if (isServerOwnedHeader(name)) continue;
    if (equalsIgnoreCase(name, "server")) haveServer = true;
    out.insert(name, value);
  }
  if (!haveServer) out.set(bhttp::field::server, kServerName);
  out.set(bhttp::field::date, httpDate());
  out.set("X-Request-Id", exchange.requestId);
  out.keep_alive(keepAlive);

  const std::size_t bodySize = response.body.size();
  if (response.status == 204 || response.status == 304) {
    // These never carry a body, and 204 must not carry Content-Length (RFC 9110 §8.6).
  } else if (exchange.method == "HEAD") {
    out.content_length(bodySize);
  } else {
    out.body() = std::move(response.body);
    out.content_length(bodySize);
  }

  // A complete string_body message goes out as one gathered write: header and body together.
  connection.stream.expires_after(timeout);
  auto [ec, written] = co_await bhttp::async_write(connection.stream, out, kTuple);
  logExchange(connection, exchange, response.status, ec ? 0 : out.body().size());
  co_return !ec;
}

void Server::Impl::logExchange(const Connection& connection, const Exchange& exchange, int status,
                               std::size_t bytes) {
  double durationMs =
      std::chrono::duration<double, std::milli>(Clock::now() - exchange.started).count();
  // The path only: query strings can carry secrets.
  log::info("request", {{"method", exchange.method},
                        {"path", exchange.rawPath},
                        {"status", status},
                        {"duration_ms", std::round(durationMs * 1000) / 1000},
                        {"bytes", bytes},
                        {"request_id", exchange.requestId},
                        {"remote", connection.remoteAddress}});
}

Server::Server(ServerOptions options, std::function<Response(Request&)> handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {
  initCrypto();  // request ids come from libsodium
}

Server::~Server() = default;

Status Server::listen() { return impl_->listen(); }
uint16_t Server::port() const { return impl_->boundPort; }
void Server::run() { impl_->run(); }
void Server::stop() { impl_->requestStop(); }

}  // namespace stratus::http
