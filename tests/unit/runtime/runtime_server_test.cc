// The Runtime API served over real loopback TCP, driven the way a runtime drives it: raw
// HTTP/1.1 requests on one keep-alive connection.
#include "runtime/runtime_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <future>
#include <thread>

namespace stratus::runtime {
namespace {

struct Reply {
  int status = 0;
  std::string head;  // status line and headers
  std::string body;
};

// One client connection that sends requests and reads whole responses.
class RawClient {
 public:
  explicit RawClient(uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  bool connected() const { return connected_; }

  std::optional<Reply> call(const std::string& method, const std::string& target,
                            const std::string& body = {}, const std::string& extraHeaders = {}) {
    std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                          extraHeaders + "Content-Length: " + std::to_string(body.size()) +
                          "\r\n\r\n" + body;
    for (std::size_t sent = 0; sent < request.size();) {
      ssize_t n = ::send(fd_.get(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return std::nullopt;
      sent += static_cast<std::size_t>(n);
    }
    return read();
  }

  std::optional<Reply> read() {
    while (true) {
      const auto end = buffer_.find("\r\n\r\n");
      if (end != std::string::npos) {
        Reply reply;
        reply.head = buffer_.substr(0, end);
        reply.status = std::atoi(reply.head.c_str() + 9);
        std::size_t length = 0;
        auto at = reply.head.find("Content-Length: ");
        if (at != std::string::npos) length = std::stoul(reply.head.substr(at + 16));
        if (buffer_.size() >= end + 4 + length) {
          reply.body = buffer_.substr(end + 4, length);
          buffer_.erase(0, end + 4 + length);
          return reply;
        }
      }
      char chunk[65536];
      ssize_t n = ::recv(fd_.get(), chunk, sizeof(chunk), 0);
      if (n <= 0) return std::nullopt;
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

 private:
  UniqueFd fd_;
  bool connected_ = false;
  std::string buffer_;
};

class RuntimeServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto listener = listenOnLoopback(0);
    ASSERT_TRUE(listener) << listener.error().describe();
    sockaddr_in address{};
    socklen_t length = sizeof(address);
    ::getsockname(listener->get(), reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    server_ = std::make_unique<RuntimeApiServer>(io_, std::move(*listener), channel_);
    server_->start();
    thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    server_->close();
    work_.reset();
    server_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }

  static Event event(const std::string& id, std::string payload) {
    return Event{InvocationContext{.requestId = id, .deadlineMs = 1700000000000,
                                   .functionArn = "arn:aws:lambda:local:u1:function:f"},
                 std::move(payload)};
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ =
      boost::asio::make_work_guard(io_);
  InvocationChannel channel_;
  std::unique_ptr<RuntimeApiServer> server_;
  std::thread thread_;
  uint16_t port_ = 0;
};

TEST_F(RuntimeServerTest, NextDeliversTheEventWithItsHeadersAndTheResponseCompletesIt) {
  std::promise<Outcome> outcome;
  ASSERT_TRUE(channel_.submit(event("req-1", R"({"a":10,"b":5})"),
                              [&](Outcome o) { outcome.set_value(std::move(o)); }));
  RawClient runtime(port_);
  ASSERT_TRUE(runtime.connected());
  auto next = runtime.call("GET", "/2018-06-01/runtime/invocation/next");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
  EXPECT_EQ(next->body, R"({"a":10,"b":5})");
  EXPECT_NE(next->head.find("Lambda-Runtime-Aws-Request-Id: req-1"), std::string::npos) << next->head;
  EXPECT_NE(next->head.find("Lambda-Runtime-Deadline-Ms: 1700000000000"), std::string::npos);
  EXPECT_NE(next->head.find("Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:local:u1:function:f"),
            std::string::npos);
  auto accepted = runtime.call("POST", "/2018-06-01/runtime/invocation/req-1/response", "15");
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->status, 202);
  auto got = outcome.get_future().get();
  EXPECT_EQ(got.kind, Outcome::Kind::response);
  EXPECT_EQ(got.body, "15");
}

TEST_F(RuntimeServerTest, ALongPollIsAnsweredWhenAnEventArrivesLater) {
  RawClient runtime(port_);
  auto polled = std::async(std::launch::async, [&] {
    return runtime.call("GET", "/2018-06-01/runtime/invocation/next");
  });
  // The poll waits; the event comes 100 ms later from another thread.
  EXPECT_EQ(polled.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout);
  std::promise<Outcome> outcome;
  ASSERT_TRUE(channel_.submit(event("late", "[]"), [&](Outcome o) { outcome.set_value(std::move(o)); }));
  auto next = polled.get();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
  EXPECT_EQ(next->body, "[]");
  auto failed = runtime.call("POST", "/2018-06-01/runtime/invocation/late/error",
                             R"({"errorType":"ValueError","errorMessage":"bad"})",
                             "Lambda-Runtime-Function-Error-Type: ValueError\r\n");
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->status, 202);
  auto got = outcome.get_future().get();
  EXPECT_EQ(got.kind, Outcome::Kind::function_error);
  EXPECT_EQ(got.errorType, "ValueError");
}

TEST_F(RuntimeServerTest, WithoutTheHeaderTheErrorTypeComesFromTheBody) {
  std::promise<Outcome> outcome;
  ASSERT_TRUE(channel_.submit(event("e1", "{}"), [&](Outcome o) { outcome.set_value(std::move(o)); }));
  RawClient runtime(port_);
  ASSERT_TRUE(runtime.call("GET", "/2018-06-01/runtime/invocation/next"));
  // The shape aws-lambda-ric posts: no error-type header, "trace" rather than "stackTrace".
  auto posted = runtime.call("POST", "/2018-06-01/runtime/invocation/e1/error",
                             R"({"errorType":"TypeError","errorMessage":"x","trace":[]})");
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->status, 202);
  EXPECT_EQ(outcome.get_future().get().errorType, "TypeError");
}

TEST_F(RuntimeServerTest, BadRequestsGetLambdaShapedErrors) {
  RawClient runtime(port_);
  auto unknown = runtime.call("GET", "/2018-06-01/runtime/nothing");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_NE(unknown->body.find("unknown_endpoint"), std::string::npos);
  auto wrongId = runtime.call("POST", "/2018-06-01/runtime/invocation/nobody/response", "{}");
  ASSERT_TRUE(wrongId);
  EXPECT_EQ(wrongId->status, 404);
  EXPECT_NE(wrongId->body.find("unknown_request_id"), std::string::npos);
  auto method = runtime.call("POST", "/2018-06-01/runtime/invocation/next");
  ASSERT_TRUE(method);
  EXPECT_EQ(method->status, 400);
}

TEST_F(RuntimeServerTest, AResponsePastSixMegabytesIsRefusedAndTheCallerHears) {
  std::promise<Outcome> outcome;
  ASSERT_TRUE(channel_.submit(event("big", "{}"), [&](Outcome o) { outcome.set_value(std::move(o)); }));
  RawClient runtime(port_);
  ASSERT_TRUE(runtime.call("GET", "/2018-06-01/runtime/invocation/next"));
  auto refused = runtime.call("POST", "/2018-06-01/runtime/invocation/big/response",
                              std::string(kMaxPayloadBytes + 1, 'x'));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 413);
  EXPECT_EQ(outcome.get_future().get().errorType, "Function.ResponseSizeTooLarge");
}

TEST_F(RuntimeServerTest, ClosingEndsAWaitingPoll) {
  RawClient runtime(port_);
  auto polled = std::async(std::launch::async, [&] {
    return runtime.call("GET", "/2018-06-01/runtime/invocation/next");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  server_->close();
  ASSERT_EQ(polled.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  // Either an answer saying the instance is stopping or a closed connection: never a hang.
  auto reply = polled.get();
  if (reply) {
    EXPECT_EQ(reply->status, 500);
  }
}

}  // namespace
}  // namespace stratus::runtime

namespace stratus::runtime {
namespace {

TEST_F(RuntimeServerTest, ConnectionsPerInstanceAreBoundedOldestIdleFirst) {
  // Six connections, each used once and left open, as some clients do: the server keeps
  // at most four, closing the oldest idle ones, and the newest still works.
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 6; ++i) {
    clients.push_back(std::make_unique<RawClient>(port_));
    ASSERT_TRUE(clients.back()->connected());
    auto answer = clients.back()->call("GET", "/2018-06-01/runtime/invocation/unknown");
    ASSERT_TRUE(answer) << i;
  }
  EXPECT_FALSE(clients[0]->call("GET", "/2018-06-01/runtime/invocation/unknown"));
  EXPECT_FALSE(clients[1]->call("GET", "/2018-06-01/runtime/invocation/unknown"));
  auto newest = clients[5]->call("GET", "/2018-06-01/runtime/invocation/unknown");
  ASSERT_TRUE(newest);
  EXPECT_EQ(newest->status, 404);
}

}  // namespace
}  // namespace stratus::runtime
