// A tiny blocking HTTP/1.1 client over POSIX sockets, just enough to drive the server in
// tests byte by byte (no libcurl: tests must be able to send garbage and half requests).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace stratus::http::testing {

struct RawResponse {
  int status = 0;
  Headers headers;
  std::string body;
  std::string header(std::string_view name) const;
};

class TestConnection {
 public:
  explicit TestConnection(uint16_t port);
  ~TestConnection();
  TestConnection(const TestConnection&) = delete;
  TestConnection& operator=(const TestConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  bool send(std::string_view data);
  // One response framed by Content-Length (or by close); nullopt on timeout or early close.
  // `headOnly` for responses to HEAD, which announce a length but carry no body.
  std::optional<RawResponse> readResponse(
      std::chrono::milliseconds timeout = std::chrono::seconds(5), bool headOnly = false);
  // Bytes up to and including the next "\r\n\r\n" (e.g. a 100 Continue).
  std::optional<std::string> readHead(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // True when the server closes (EOF or reset) within the timeout.
  bool waitClosed(std::chrono::milliseconds timeout);

 private:
  // Appends what arrives within the deadline; false on timeout, EOF or error.
  bool fill(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  bool eof_ = false;
  std::string buffer_;
};

// "GET /path HTTP/1.1\r\nHost: test\r\n<extra>\r\n"
std::string getRequest(std::string_view target, std::string_view extraHeaders = "");

// One request on a fresh connection.
std::optional<RawResponse> roundTrip(uint16_t port, std::string_view request);

}  // namespace stratus::http::testing
