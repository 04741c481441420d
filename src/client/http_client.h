// A small blocking HTTP client for the Stratus API on libcurl, shared by the CLI, the e2e
// tests and the benchmarks. One HttpClient owns one curl easy handle, so consecutive
// requests reuse the same keep-alive connection; it is not thread-safe — use one per thread.
//
// Every method returns the HTTP answer whatever its status (check ok(), or use
// requireSuccess/expectJson from response.h); an Error only means no answer arrived:
// kConnectionFailed / kRequestTimeout (kind unavailable), kInvalidUrl (invalid_argument).
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/response.h"
#include "common/error.h"

namespace stratus::client {

struct FilePart {
  std::string fieldName;
  std::string fileName;
  std::string content;
  std::string contentType = "application/octet-stream";
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;
using FieldList = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  // baseUrl: "http://host:port" with an optional path prefix. With a non-empty apiKey every
  // request carries "Authorization: Bearer <apiKey>".
  explicit HttpClient(std::string baseUrl, std::string apiKey = "");
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  const std::string& baseUrl() const;
  void setApiKey(std::string apiKey);
  // Keeps cookies between requests, in memory only (sign-up / sign-in flows). While on,
  // when the server set a cookie whose name contains "csrf", writes carry its value as
  // X-CSRF-Token (double-submit CSRF protection). Turning it off
  // forgets all cookies (and the open connection).
  void setCookieJar(bool enabled = true);
  // Whole-request limit; zero (the default) means none, since invocations may run long.
  void setTimeout(std::chrono::milliseconds timeout);
  void setConnectTimeout(std::chrono::milliseconds timeout);  // default 10 s
  // Cookies as "name=value" (the jar's content); empty when the jar is off.
  std::vector<std::pair<std::string, std::string>> cookies() const;

  Result<ClientResponse> get(std::string_view path);
  Result<ClientResponse> del(std::string_view path);
  Result<ClientResponse> postJson(std::string_view path, const boost::json::value& body);
  Result<ClientResponse> putJson(std::string_view path, const boost::json::value& body);
  Result<ClientResponse> patchJson(std::string_view path, const boost::json::value& body);
  Result<ClientResponse> postMultipart(std::string_view path, const FieldList& fields,
                                       const std::vector<FilePart>& files);
  Result<ClientResponse> putMultipart(std::string_view path, const FieldList& fields,
                                      const std::vector<FilePart>& files);
  // The general form: any method, a raw body (may be empty) with its content type, and extra
  // headers. path is joined to the base URL (joinUrl), or used as is when absolute.
  Result<ClientResponse> request(std::string_view method, std::string_view path,
                                 std::string_view body = {}, std::string_view contentType = {},
                                 const HeaderList& extraHeaders = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stratus::client
