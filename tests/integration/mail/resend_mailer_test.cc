// The Resend mailer's HTTP request, checked against a local stand-in: Resend itself is not
// reachable from CI, so a one-connection listener on loopback records what arrives and
// answers like the API would. This tests our side of the wire (request line, headers, JSON,
// the mapping of answers), not Resend.
#include "mail/resend_mailer.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <boost/json/parse.hpp>
#include <future>
#include <thread>

#include "common/unique_fd.h"

namespace stratus::mail {
namespace {

using namespace std::chrono_literals;

// Accepts one connection, reads one HTTP request (headers + Content-Length body), sends
// the canned answer and closes. Gives up after 10 s so a broken test cannot hang.
class FakeResendListener {
 public:
  FakeResendListener(int status, std::string body) {
    listener_.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (!listener_.valid() ||
        ::bind(listener_.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&address), &size) != 0 ||
        ::listen(listener_.get(), 1) != 0) {
      throw std::runtime_error("cannot listen on loopback");
    }
    port_ = ntohs(address.sin_port);
    request_ = std::async(std::launch::async, [this, status, body = std::move(body)] {
      return serveOne(status, body);
    });
  }

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_) + "/emails"; }
  // The raw request received ("" when none came within the time limit).
  std::string request() { return request_.get(); }

 private:
  static bool readable(int fd) {
    pollfd entry{fd, POLLIN, 0};
    return ::poll(&entry, 1, 10'000) == 1;
  }

  std::string serveOne(int status, const std::string& body) {
    if (!readable(listener_.get())) return "";
    UniqueFd connection(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!connection.valid()) return "";
    std::string request;
    char buffer[4096];
    std::size_t expected = std::string::npos;
    while (request.size() < expected && readable(connection.get())) {
      const ssize_t n = ::read(connection.get(), buffer, sizeof buffer);
      if (n <= 0) break;
      request.append(buffer, static_cast<std::size_t>(n));
      const std::size_t headerEnd = request.find("\r\n\r\n");
      if (headerEnd != std::string::npos && expected == std::string::npos) {
        std::size_t length = 0;
        const std::size_t at = request.find("Content-Length: ");
        if (at != std::string::npos && at < headerEnd) length = std::stoul(request.substr(at + 16));
        expected = headerEnd + 4 + length;
      }
    }
    const std::string answer =
        "HTTP/1.1 " + std::to_string(status) +
        " X\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\nConnection: close\r\n\r\n" + body;
    (void)!::write(connection.get(), answer.data(), answer.size());
    return request;
  }

  UniqueFd listener_;
  int port_ = 0;
  std::future<std::string> request_;
};

Message sample() {
  Message m;
  m.from = "Stratus <no-reply@example.com>";
  m.to = "ada@example.org";
  m.subject = "Verify your email";
  m.text = "Open https://stratus.test/verify?token=abc";
  m.html = "<a href=\"https://stratus.test/verify?token=abc\">Verify</a>";
  return m;
}

MailerPtr mailerFor(const FakeResendListener& listener) {
  ResendOptions options;
  options.apiKey = "re_test_key";
  options.endpoint = listener.endpoint();
  options.timeoutMs = 10'000;
  return makeResendMailer(options);
}

TEST(ResendMailerAgainstLocalFakeListener, PostsJsonWithTheBearerKey) {
  FakeResendListener listener(200, R"({"id":"49a3999c-0ce1-4ea6-ab68-afcd6dc2e794"})");
  auto mailer = mailerFor(listener);
  auto status = mailer->send(sample());
  ASSERT_TRUE(status.has_value()) << status.error().describe();

  const std::string request = listener.request();
  EXPECT_TRUE(request.starts_with("POST /emails HTTP/1.1\r\n")) << request;
  EXPECT_NE(request.find("\r\nAuthorization: Bearer re_test_key\r\n"), std::string::npos);
  EXPECT_NE(request.find("\r\nContent-Type: application/json\r\n"), std::string::npos);
  const std::string body = request.substr(request.find("\r\n\r\n") + 4);
  EXPECT_EQ(boost::json::parse(body), boost::json::parse(resendRequestBody(sample())));
  EXPECT_EQ(boost::json::parse(body).at("to").at(0).as_string(), "ada@example.org");
}

TEST(ResendMailerAgainstLocalFakeListener, AValidationErrorIsARejection) {
  FakeResendListener listener(
      422, R"({"statusCode":422,"message":"The `from` domain is not verified.","name":"x"})");
  auto status = mailerFor(listener)->send(sample());
  listener.request();
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().kind, ErrorKind::invalid_argument);
  EXPECT_EQ(status.error().code, kMailRejected);
  EXPECT_NE(status.error().message.find("not verified"), std::string::npos);
  EXPECT_EQ(status.error().message.find("re_test_key"), std::string::npos);
}

TEST(ResendMailerAgainstLocalFakeListener, AServerErrorIsUnavailable) {
  FakeResendListener listener(503, R"({"message":"maintenance"})");
  auto status = mailerFor(listener)->send(sample());
  listener.request();
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(status.error().code, kMailUnavailable);
}

TEST(ResendMailerAgainstLocalFakeListener, NoListenerIsUnavailable) {
  // A bound socket that does not listen: connections are refused, and no other process
  // can take the port meanwhile.
  UniqueFd holder(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  ASSERT_EQ(::bind(holder.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::getsockname(holder.get(), reinterpret_cast<sockaddr*>(&address), &size), 0);
  ResendOptions options;
  options.apiKey = "re_test_key";
  options.endpoint = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/emails";
  auto status = makeResendMailer(options)->send(sample());
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(status.error().message.find("re_test_key"), std::string::npos);
}

}  // namespace
}  // namespace stratus::mail
