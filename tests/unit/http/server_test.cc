// Starts a real Server on port 0 in a thread and talks to it over raw TCP.
#include "http/server.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <memory>
#include <stdexcept>
#include <thread>

#include "common/log.h"
#include "http/router.h"
#include "unit/http/test_client.h"

namespace stratus::http {
namespace {

using namespace std::chrono_literals;
using testing::getRequest;
using testing::RawResponse;
using testing::roundTrip;
using testing::TestConnection;
using Clock = std::chrono::steady_clock;

std::string errorCode(const RawResponse& response) {
  auto body = boost::json::parse(response.body);
  return std::string(body.at("error").at("code").as_string());
}

// The routes every test server has.
std::shared_ptr<Router> makeRouter(std::atomic<Server*>* self) {
  auto router = std::make_shared<Router>();
  router->add("GET", "/ok", [](Request&) {
    return Response::json(200, boost::json::object{{"ok", true}});
  });
  router->add("GET", "/echo/{name}", [](Request& request) {
    boost::json::array query;
    for (auto& [key, value] : request.query) query.push_back(boost::json::array{key, value});
    return Response::json(200, boost::json::object{{"path", request.path},
                                                   {"name", *request.param("name")},
                                                   {"query", query},
                                                   {"requestId", request.requestId},
                                                   {"remote", request.remoteAddress}});
  });
  router->add("POST", "/upload", [](Request& request) {
    return Response::json(200, boost::json::object{{"size", request.body.size()}});
  });
  router->add("GET", "/throw",
              [](Request&) -> Response { throw std::runtime_error("boom at /var/lib/secret"); });
  router->add("GET", "/sleep/{ms}", [](Request& request) {
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::stoi(std::string(*request.param("ms")))));
    return Response::json(200, boost::json::object{{"slept", true}});
  });
  router->add("GET", "/inject", [](Request&) {
    Response response = Response::text(200, "x");
    response.setHeader("X-Bad", "a\r\nX-Evil: 1");
    response.setHeader("X-Good", "fine");
    return response;
  });
  router->add("GET", "/nocontent", [](Request&) { return Response{204, {}, "ignored"}; });
  router->add("GET", "/stop", [self](Request&) {
    (*self).load()->stop();
    return Response::text(200, "stopping");
  });
  return router;
}

class RunningServer {
 public:
  explicit RunningServer(ServerOptions options = {}, bool handleSignals = false) {
    log::setMinimumLevel(log::Level::warn);
    options.port = 0;
    options.handleSignals = handleSignals;
    options.workerThreads = std::max(options.workerThreads, 4);
    auto router = makeRouter(&self_);
    server_ = std::make_unique<Server>(
        std::move(options), [router](Request& request) { return router->dispatch(request); });
    self_ = server_.get();
    auto status = server_->listen();
    if (!status) throw std::runtime_error(status.error().describe());
    thread_ = std::thread([this] {
      server_->run();
      returned_ = true;
    });
  }
  ~RunningServer() {
    server_->stop();
    if (thread_.joinable()) thread_.join();
  }

  uint16_t port() const { return server_->port(); }
  Server& server() { return *server_; }
  bool waitReturned(std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (!returned_ && Clock::now() < deadline) std::this_thread::sleep_for(10ms);
    return returned_;
  }

 private:
  std::atomic<Server*> self_{nullptr};
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::atomic<bool> returned_{false};
};

TEST(Server, KeepAliveServesTwoRequestsOnOneConnection) {
  RunningServer server;
  TestConnection connection(server.port());
  ASSERT_TRUE(connection.connected());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(connection.send(getRequest("/ok")));
    auto response = connection.readResponse();
    ASSERT_TRUE(response.has_value()) << "request " << i;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, R"({"ok":true})");
    EXPECT_EQ(response->header("Content-Type"), "application/json");
    EXPECT_EQ(response->header("Content-Length"), "11");
    EXPECT_EQ(response->header("Server"), "stratus");
    EXPECT_TRUE(response->header("Date").ends_with(" GMT")) << response->header("Date");
    EXPECT_EQ(response->header("Connection"), "");  // 1.1 keeps alive without saying so
  }
}

TEST(Server, PipelinedRequestsAnswerInOrder) {
  RunningServer server;
  TestConnection connection(server.port());
  ASSERT_TRUE(connection.send(getRequest("/echo/one") + getRequest("/echo/two")));
  auto first = connection.readResponse();
  auto second = connection.readResponse();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(boost::json::parse(first->body).at("name"), "one");
  EXPECT_EQ(boost::json::parse(second->body).at("name"), "two");
}

TEST(Server, Http10ClosesAfterResponse) {
  RunningServer server;
  TestConnection connection(server.port());
  ASSERT_TRUE(connection.send("GET /ok HTTP/1.0\r\n\r\n"));
  auto response = connection.readResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(connection.waitClosed(2s));
}

TEST(Server, ConnectionCloseIsHonoured) {
  RunningServer server;
  TestConnection connection(server.port());
  ASSERT_TRUE(connection.send(getRequest("/ok", "Connection: close\r\n")));
  auto response = connection.readResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(connection.waitClosed(2s));
}

TEST(Server, UnknownPathGives404Json) {
  RunningServer server;
  auto response = roundTrip(server.port(), getRequest("/nope"));
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(response->header("Content-Type"), "application/json");
  EXPECT_EQ(errorCode(*response), "not_found");
}

TEST(Server, HandlerSeesDecodedPathQueryAndRemote) {
  RunningServer server;
  auto response = roundTrip(server.port(), getRequest("/echo/a%20b?x=1&y=two+words&x=3"));
  ASSERT_TRUE(response.has_value());
  ASSERT_EQ(response->status, 200);
  auto body = boost::json::parse(response->body);
  EXPECT_EQ(body.at("path"), "/echo/a b");
  EXPECT_EQ(body.at("name"), "a b");
  EXPECT_EQ(boost::json::serialize(body.at("query")), R"([["x","1"],["y","two words"],["x","3"]])");
  EXPECT_EQ(body.at("remote"), "127.0.0.1");
}

TEST(Server, MalformedQueryOrPathGives400) {
  RunningServer server;
  auto query = roundTrip(server.port(), getRequest("/echo/a?x=%zz"));
  ASSERT_TRUE(query.has_value());
  EXPECT_EQ(query->status, 400);
  EXPECT_EQ(errorCode(*query), "malformed_query");
  auto path = roundTrip(server.port(), getRequest("/echo/a%2Fb"));
  ASSERT_TRUE(path.has_value());
  EXPECT_EQ(errorCode(*path), "malformed_path");
}

TEST(Server, BodyOverLimitGets413AndServerKeepsServing) {
  ServerOptions options;
  options.bodyLimit = [](std::string_view method, std::string_view target) -> std::size_t {
    return method == "POST" && target == "/upload" ? 1000 : 10;
  };
  RunningServer server(options);

  TestConnection fits(server.port());
  std::string body(1000, 'a');
  ASSERT_TRUE(fits.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n" + body));
  auto ok = fits.readResponse();
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, R"({"size":1000})");

  TestConnection tooBig(server.port());
  std::string big(5000, 'b');
  ASSERT_TRUE(
      tooBig.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n" + big));
  auto rejected = tooBig.readResponse();
  ASSERT_TRUE(rejected.has_value());
  EXPECT_EQ(rejected->status, 413);
  EXPECT_EQ(errorCode(*rejected), "payload_too_large");
  EXPECT_NE(rejected->body.find("1000 bytes"), std::string::npos) << rejected->body;
  EXPECT_EQ(rejected->header("Connection"), "close");
  EXPECT_TRUE(tooBig.waitClosed(5s));

  auto after = roundTrip(server.port(), getRequest("/ok"));
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->status, 200);
}

TEST(Server, ChunkedBodyOverLimitGets413) {
  ServerOptions options;
  options.defaultBodyLimit = 100;
  RunningServer server(options);
  TestConnection connection(server.port());
  std::string chunk(80, 'c');
  ASSERT_TRUE(connection.send(
      "POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n50\r\n" + chunk +
      "\r\n50\r\n" + chunk + "\r\n0\r\n\r\n"));
  auto response = connection.readResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 413);
  EXPECT_NE(response->body.find("100 bytes"), std::string::npos);
}

TEST(Server, ExpectContinue) {
  RunningServer server;
  TestConnection connection(server.port());
  ASSERT_TRUE(connection.send(
      "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"));
  auto interim = connection.readHead();
  ASSERT_TRUE(interim.has_value());
  EXPECT_TRUE(interim->starts_with("HTTP/1.1 100 Continue")) << *interim;
  ASSERT_TRUE(connection.send("abc"));
  auto response = connection.readResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, R"({"size":3})");
}

TEST(Server, HugeHeadersGet431) {
  ServerOptions options;
  options.headerLimit = 1024;
  RunningServer server(options);
  TestConnection connection(server.port());
  ASSERT_TRUE(connection.send(getRequest("/ok", "X-Big: " + std::string(8000, 'h') + "\r\n")));
  auto response = connection.readResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 431);
  EXPECT_EQ(errorCode(*response), "headers_too_large");
  EXPECT_TRUE(connection.waitClosed(5s));
}

TEST(Server, GarbageGets400ThenClose) {
  RunningServer server;
  for (std::string_view garbage :
       {"this is not http\r\n\r\n", "GET / HTTP/1.1\r\nBad Header\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: t\r\nContent-Length: x\r\n\r\n",
        "\x16\x03\x01\x02\x00\x01\r\n\r\n"}) {
    TestConnection connection(server.port());
    ASSERT_TRUE(connection.send(garbage));
    auto response = connection.readResponse();
    ASSERT_TRUE(response.has_value()) << garbage;
    EXPECT_EQ(response->status, 400) << garbage;
    EXPECT_EQ(errorCode(*response), "bad_request");
    EXPECT_TRUE(connection.waitClosed(5s));
  }
}

TEST(Server, MissingHostGets400) {
  RunningServer server;
  TestConnection connection(server.port());
  ASSERT_TRUE(connection.send("GET /ok HTTP/1.1\r\n\r\n"));
  auto response = connection.readResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 400);
  EXPECT_NE(response->body.find("Host"), std::string::npos);
}

TEST(Server, UnsupportedVersionGets400) {
  RunningServer server;
  auto response = roundTrip(server.port(), "GET /ok HTTP/2.0\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 400);
  EXPECT_NE(response->body.find("version"), std::string::npos) << response->body;
}

TEST(Server, IdleTimeoutClosesConnection) {
  ServerOptions options;
  options.idleTimeout = 1s;
  RunningServer server(options);
  TestConnection connection(server.port());
  ASSERT_TRUE(connection.send(getRequest("/ok")));
  ASSERT_TRUE(connection.readResponse().has_value());
  auto start = Clock::now();
  EXPECT_TRUE(connection.waitClosed(4s));
  auto waited = Clock::now() - start;
  EXPECT_GE(waited, 800ms);
  EXPECT_LE(waited, 3s);
}

TEST(Server, ReadTimeoutClosesAHalfRequest) {
  ServerOptions options;
  options.readTimeout = 1s;
  RunningServer server(options);
  TestConnection connection(server.port());
  auto start = Clock::now();
  ASSERT_TRUE(connection.send("GET /ok HTTP/1.1\r\nHost: t\r\n"));  // never finished
  // tcp_stream closes the socket when the timer fires, so the answer is a close, not a 408.
  EXPECT_TRUE(connection.waitClosed(4s));
  EXPECT_LT(Clock::now() - start, 2500ms);

  TestConnection slowBody(server.port());
  ASSERT_TRUE(slowBody.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc"));
  EXPECT_TRUE(slowBody.waitClosed(4s));
}

TEST(Server, HandlerMayRunLongerThanTheReadTimeout) {
  ServerOptions options;
  options.readTimeout = 1s;
  options.idleTimeout = 1s;
  RunningServer server(options);
  TestConnection connection(server.port());
  ASSERT_TRUE(connection.send(getRequest("/sleep/1600")));
  auto response = connection.readResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
}

TEST(Server, RequestIdEchoedOrGenerated) {
  RunningServer server;
  auto echoed = roundTrip(server.port(), getRequest("/echo/x", "X-Request-Id: abc.DEF_123-x\r\n"));
  ASSERT_TRUE(echoed.has_value());
  EXPECT_EQ(echoed->header("X-Request-Id"), "abc.DEF_123-x");
  EXPECT_EQ(boost::json::parse(echoed->body).at("requestId"), "abc.DEF_123-x");

  for (std::string bad :
       {std::string("has space"), std::string(65, 'a'), std::string("a/b"), std::string("")}) {
    auto replaced = roundTrip(server.port(), getRequest("/ok", "X-Request-Id: " + bad + "\r\n"));
    ASSERT_TRUE(replaced.has_value());
    std::string id = replaced->header("X-Request-Id");
    EXPECT_EQ(id.size(), 16u) << bad;
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
  }
  auto generated = roundTrip(server.port(), getRequest("/nope"));
  ASSERT_TRUE(generated.has_value());
  EXPECT_EQ(generated->header("X-Request-Id").size(), 16u);
}

TEST(Server, ThrowingHandlerGives500Json) {
  RunningServer server;
  TestConnection connection(server.port());
  ASSERT_TRUE(connection.send(getRequest("/throw")));
  auto response = connection.readResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->body, R"({"error":{"code":"internal","message":"internal error"}})");
  // The connection and the server survive.
  ASSERT_TRUE(connection.send(getRequest("/ok")));
  auto next = connection.readResponse();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->status, 200);
}

TEST(Server, UnsafeResponseHeadersAreDropped) {
  RunningServer server;
  auto response = roundTrip(server.port(), getRequest("/inject"));
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->header("X-Evil"), "");
  EXPECT_EQ(response->header("X-Bad"), "");
  EXPECT_EQ(response->header("X-Good"), "fine");
}

TEST(Server, HeadAndNoContent) {
  RunningServer server;
  TestConnection connection(server.port());
  ASSERT_TRUE(connection.send("HEAD /ok HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto head = connection.readResponse(5s, /*headOnly=*/true);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->header("Content-Length"), "11");
  // The next response on the connection proves no body bytes followed the HEAD response.
  ASSERT_TRUE(connection.send(getRequest("/nocontent")));
  auto empty = connection.readResponse();
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->status, 204);
  EXPECT_EQ(empty->header("Content-Length"), "");
  ASSERT_TRUE(connection.send(getRequest("/ok")));
  auto ok = connection.readResponse();
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->body, R"({"ok":true})");
}

TEST(Server, SlowHandlerDoesNotBlockFastOne) {
  ServerOptions options;
  options.ioThreads = 1;
  RunningServer server(options);
  TestConnection slow(server.port());
  ASSERT_TRUE(slow.send(getRequest("/sleep/1500")));
  std::this_thread::sleep_for(100ms);
  auto start = Clock::now();
  auto fast = roundTrip(server.port(), getRequest("/ok"));
  auto took = Clock::now() - start;
  ASSERT_TRUE(fast.has_value());
  EXPECT_EQ(fast->status, 200);
  EXPECT_LT(took, 500ms);
  auto slowResponse = slow.readResponse();
  ASSERT_TRUE(slowResponse.has_value());
  EXPECT_EQ(slowResponse->status, 200);
}

TEST(Server, StopLetsInFlightRequestFinish) {
  RunningServer server;
  TestConnection idle(server.port());  // a keep-alive connection with nothing in flight
  ASSERT_TRUE(idle.send(getRequest("/ok")));
  ASSERT_TRUE(idle.readResponse().has_value());

  TestConnection busy(server.port());
  ASSERT_TRUE(busy.send(getRequest("/sleep/1000")));
  std::this_thread::sleep_for(200ms);
  server.server().stop();

  EXPECT_TRUE(idle.waitClosed(500ms));  // idle connections go at once
  auto response = busy.readResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(busy.waitClosed(2s));
  EXPECT_TRUE(server.waitReturned(2s));
  TestConnection refused(server.port());
  EXPECT_FALSE(refused.connected());
}

TEST(Server, ShutdownGraceBoundsTheWait) {
  ServerOptions options;
  options.shutdownGrace = 1s;
  RunningServer server(options);
  TestConnection busy(server.port());
  ASSERT_TRUE(busy.send(getRequest("/sleep/2500")));
  std::this_thread::sleep_for(200ms);
  auto start = Clock::now();
  server.server().stop();
  EXPECT_TRUE(server.waitReturned(2s));
  EXPECT_LT(Clock::now() - start, 1800ms);
  // The destructor then waits for the abandoned handler to return.
}

TEST(Server, StopBeforeRunReturnsAtOnce) {
  log::setMinimumLevel(log::Level::warn);
  Server server({.port = 0, .handleSignals = false}, [](Request&) { return Response{}; });
  ASSERT_TRUE(server.listen().has_value());
  server.stop();
  auto start = Clock::now();
  server.run();
  EXPECT_LT(Clock::now() - start, 1s);
}

TEST(Server, StopFromAHandler) {
  RunningServer server;
  auto response = roundTrip(server.port(), getRequest("/stop"));
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "stopping");
  EXPECT_TRUE(server.waitReturned(2s));
}

TEST(Server, SigtermStopsTheServer) {
  RunningServer server({}, /*handleSignals=*/true);
  // A served request proves run() has installed its handler before the signal is raised.
  ASSERT_TRUE(roundTrip(server.port(), getRequest("/ok")).has_value());
  ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
  EXPECT_TRUE(server.waitReturned(2s));
}

TEST(Server, ListenFailsWhenPortTaken) {
  RunningServer first;
  Server second({.port = first.port(), .handleSignals = false},
                [](Request&) { return Response{}; });
  auto status = second.listen();
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, "listen_failed");
  EXPECT_NE(status.error().message.find("in use"), std::string::npos) << status.error().message;
}

TEST(Server, AccessLogLineHasNoQuery) {
  RunningServer server;
  log::setMinimumLevel(log::Level::info);
  ::testing::internal::CaptureStderr();
  auto response =
      roundTrip(server.port(), getRequest("/echo/x?token=SECRET", "X-Request-Id: log-1\r\n"));
  std::this_thread::sleep_for(100ms);  // the line is written after the response
  std::string logged = ::testing::internal::GetCapturedStderr();
  log::setMinimumLevel(log::Level::warn);
  ASSERT_TRUE(response.has_value());
  std::string line;
  for (std::size_t start = 0; start < logged.size();) {
    std::size_t end = logged.find('\n', start);
    std::string candidate = logged.substr(start, end - start);
    if (candidate.find("\"request_id\":\"log-1\"") != std::string::npos) line = candidate;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  ASSERT_FALSE(line.empty()) << logged;
  auto fields = boost::json::parse(line);
  EXPECT_EQ(fields.at("msg"), "request");
  EXPECT_EQ(fields.at("method"), "GET");
  EXPECT_EQ(fields.at("path"), "/echo/x");
  EXPECT_EQ(fields.at("status"), 200);
  EXPECT_EQ(fields.at("remote"), "127.0.0.1");
  EXPECT_TRUE(fields.at("duration_ms").is_number());
  EXPECT_GT(fields.at("bytes").to_number<int>(), 0);
  EXPECT_EQ(line.find("SECRET"), std::string::npos);
}

}  // namespace
}  // namespace stratus::http
