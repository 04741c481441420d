// One signed HTTP exchange with S3 through libcurl (internal to the S3 blob store).
//
// Every request is signed by libcurl's SigV4 (CURLOPT_AWS_SIGV4 "aws:amz:REGION:s3") and
// carries x-amz-content-sha256, the hex SHA-256 of its body: S3 checks the body against
// it, so an upload damaged on the way is refused rather than stored. Retries are the
// caller's (S3BlobStore): send() is exactly one attempt.
//
// Thread-safe: easy handles come from a small pool, one request at a time each, so idle
// handles keep their connections and DNS entries for the next request on any thread.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "blob/s3/s3_failure.h"
#include "blob/s3/s3_options.h"

namespace stratus::blob::s3 {

struct HttpRequest {
  std::string method;  // GET, HEAD, PUT, POST or DELETE
  std::string url;     // canonical already (see s3_request.h)
  std::string_view body;
  std::vector<std::string> headers;  // "Name: value", beyond the ones every request gets
  // CompleteMultipartUpload may answer 200 with an <Error> body: S3 sends the status line
  // before it knows the outcome.
  bool errorMayComeWith200 = false;
};

struct HttpResponse {
  Reply reply;  // answered?, status, S3 error code and message
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names, the last response's only

  bool succeeded() const {
    return reply.answered && reply.status >= 200 && reply.status < 300 && reply.s3Code.empty();
  }
  std::string header(const std::string& name) const {
    auto found = headers.find(name);
    return found == headers.end() ? std::string() : found->second;
  }
};

class HttpTransport {
 public:
  explicit HttpTransport(const S3Options& options);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  HttpResponse send(const HttpRequest& request);

 private:
  struct Handle;
  std::unique_ptr<Handle> takeHandle();
  void giveBack(std::unique_ptr<Handle> handle);

  const std::string signing_;  // "aws:amz:REGION:s3"
  const std::string accessKeyId_, secretAccessKey_, sessionToken_;
  const long connectTimeoutMs_, requestTimeoutMs_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Handle>> idle_;
};

}  // namespace stratus::blob::s3
