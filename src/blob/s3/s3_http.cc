#include "blob/s3/s3_http.h"

#include <curl/curl.h>
#include <strings.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "blob/s3/s3_xml.h"
#include "curl/curl_support.h"
#include "common/crypto.h"

namespace stratus::blob::s3 {
namespace {

constexpr const char* kUserAgent = "stratus-blob/0.1";
// Idle handles kept for reuse; more concurrent requests than this simply make new ones.
constexpr std::size_t kMaxIdleHandles = 16;

using curl::append;
using curl::initCurlOnce;
using curl::SlistPtr;

size_t onHeader(char* data, size_t size, size_t count, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  const std::string_view line(data, size * count);
  // A new status line starts a new response (after "100 Continue"): keep only the last.
  if (curl::isStatusLine(line)) headers->clear();
  if (auto field = curl::headerField(line)) (*headers)[field->first] = std::move(field->second);
  return size * count;
}

// Failures where nothing useful came back and a later attempt may well get through.
bool isTransient(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

}  // namespace

struct HttpTransport::Handle {
  curl::EasyPtr easy = curl::newEasyHandle();
};

HttpTransport::HttpTransport(const S3Options& options)
    : signing_("aws:amz:" + options.region + ":s3"),
      accessKeyId_(options.accessKeyId),
      secretAccessKey_(options.secretAccessKey),
      sessionToken_(options.sessionToken),
      connectTimeoutMs_(options.connectTimeoutMs),
      requestTimeoutMs_(options.requestTimeoutMs) {
  initCurlOnce();
}

HttpTransport::~HttpTransport() = default;

std::unique_ptr<HttpTransport::Handle> HttpTransport::takeHandle() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto handle = std::move(idle_.back());
      idle_.pop_back();
      return handle;
    }
  }
  return std::make_unique<Handle>();
}

void HttpTransport::giveBack(std::unique_ptr<Handle> handle) {
  // reset drops the options (and the pointers into this request's buffers) but keeps the
  // live connections and the DNS cache, which is why handles are pooled at all.
  curl_easy_reset(handle->easy.get());
  std::lock_guard lock(mutex_);
  if (idle_.size() < kMaxIdleHandles) idle_.push_back(std::move(handle));
}

HttpResponse HttpTransport::send(const HttpRequest& request) {
  auto handle = takeHandle();
  CURL* h = handle->easy.get();
  HttpResponse response;
  char errorBuffer[CURL_ERROR_SIZE] = {};

  SlistPtr headers;
  // S3 requires the header on every request (and checks the body against it); libcurl
  // signs it but does not add it. GET, HEAD and DELETE hash the empty body.
  append(headers, "x-amz-content-sha256: " + sha256Hex(request.body));
  if (!sessionToken_.empty()) append(headers, "x-amz-security-token: " + sessionToken_);
  // No "Expect:" line to switch off 100-continue: libcurl 7.88 signs such an empty header
  // although it never sends it, and every signature then fails. Waiting for "100 Continue"
  // on large bodies is harmless (S3 sends it), and a refusal then costs no upload.
  bool hasContentType = false;
  for (const auto& line : request.headers) {
    append(headers, line);
    if (line.size() > 13 && strncasecmp(line.c_str(), "content-type:", 13) == 0) {
      hasContentType = true;
    }
  }

  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errorBuffer);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, connectTimeoutMs_);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, requestTimeoutMs_);
  // A transfer that stalls (under 1 KB/s for 10 s) is given up, and retried, long before
  // the whole-request timeout, which must allow for large blobs on slow links.
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 10L);
  curl_easy_setopt(h, CURLOPT_USERAGENT, kUserAgent);
  curl_easy_setopt(h, CURLOPT_AWS_SIGV4, signing_.c_str());
  curl_easy_setopt(h, CURLOPT_USERNAME, accessKeyId_.c_str());
  curl_easy_setopt(h, CURLOPT_PASSWORD, secretAccessKey_.c_str());
  // No redirects: S3 redirects only when the region or endpoint is wrong, and that should
  // be reported and fixed, not followed with the signature of another host.
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, curl::appendToString);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, onHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &response.headers);

  if (request.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (request.method == "PUT" || request.method == "POST") {
    // The body from memory (POSTFIELDS) rather than a read callback: libcurl's signer then
    // sees the same bytes the x-amz-content-sha256 header describes.
    if (!hasContentType) append(headers, "Content-Type: application/octet-stream");
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.empty() ? "" : request.body.data());
    if (request.method == "PUT") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT");
  } else if (request.method == "DELETE") {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "DELETE");
  } else {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());

  const CURLcode code = curl_easy_perform(h);
  Reply& reply = response.reply;
  if (code != CURLE_OK) {
    reply.answered = false;
    reply.transient = isTransient(code);
    reply.transportError = curl_easy_strerror(code);
    reply.transportDetail = errorBuffer;
  } else {
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply.status);
    const bool failed = reply.status < 200 || reply.status >= 300;
    if (failed || request.errorMayComeWith200) {
      if (auto error = parseErrorDocument(response.body)) {
        reply.s3Code = std::move(error->code);
        reply.s3Message = std::move(error->message);
      }
    }
  }
  giveBack(std::move(handle));
  return response;
}

}  // namespace stratus::blob::s3
