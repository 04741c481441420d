#include "mail/resend_mailer.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <optional>

#include "common/log.h"
#include "common/utf8.h"
#include "mail/curl_support.h"

namespace stratus::mail {
namespace {

constexpr const char* kUserAgent = "stratus-mail/0.1";
// An error answer is a small JSON object; a proxy's HTML page is not worth keeping whole.
constexpr std::size_t kMaxResponseBytes = 64 << 10;
constexpr std::size_t kMaxQuotedMessage = 300;

size_t onBody(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  const size_t n = size * count;
  if (body->size() < kMaxResponseBytes) {
    body->append(data, std::min(n, kMaxResponseBytes - body->size()));
  }
  return n;
}

bool isLoopbackHost(std::string_view host) {
  return host == "localhost" || host == "127.0.0.1" || host == "[::1]" || host == "::1";
}

// Why this configuration can never send, or nullopt when it can.
std::optional<Error> checkOptions(const ResendOptions& options) {
  auto bad = [](std::string why) {
    return Error{ErrorKind::internal, "mail_misconfigured", "Resend mailer: " + why, {}};
  };
  if (options.apiKey.empty()) return bad("the API key is empty");
  for (char c : options.apiKey) {
    // It goes into an HTTP header: a line break there would add headers of its own.
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= ' ' || byte >= 127) return bad("the API key contains invalid characters");
  }
  if (options.timeoutMs <= 0) return bad("the timeout must be positive");
  detail::UrlPtr url(curl_url());
  if (!url || curl_url_set(url.get(), CURLUPART_URL, options.endpoint.c_str(), 0) != CURLUE_OK) {
    return bad("the endpoint is not a URL");
  }
  const std::string scheme = detail::urlPart(url.get(), CURLUPART_SCHEME);
  const std::string host = detail::urlPart(url.get(), CURLUPART_HOST);
  if (scheme == "https") return std::nullopt;
  if (scheme == "http" && isLoopbackHost(host)) return std::nullopt;
  return bad("the endpoint must use https (http only for a loopback address)");
}

std::string apiMessage(std::string_view body) {
  std::string message;
  boost::system::error_code error;
  const boost::json::value parsed = boost::json::parse(body, error);
  if (!error && parsed.is_object()) {
    if (const auto* text = parsed.as_object().if_contains("message"); text && text->is_string()) {
      message = std::string(text->as_string());
    }
  }
  if (message.empty()) message = toValidUtf8(body);
  if (message.size() > kMaxQuotedMessage) {
    message = toValidUtf8(message.substr(0, kMaxQuotedMessage)) + "...";
  }
  return message;
}

class ResendMailer final : public Mailer {
 public:
  explicit ResendMailer(ResendOptions options)
      : options_(std::move(options)), configError_(checkOptions(options_)) {
    if (configError_) {
      log::error("mail transport cannot work", {{"error", configError_->describe()}});
    }
  }

  Status send(const Message& message) override;
  std::string_view kind() const override { return "resend"; }

 private:
  ResendOptions options_;
  std::optional<Error> configError_;
};

Status ResendMailer::send(const Message& message) {
  if (configError_) return std::unexpected(*configError_);
  // The API does its own checks, but every mailer refuses the same messages.
  if (auto ok = validateMessage(message); !ok) return ok;
  const std::string body = resendRequestBody(message);

  detail::EasyPtr handle = detail::newEasyHandle();
  CURL* h = handle.get();
  char errorBuffer[CURL_ERROR_SIZE] = {};
  std::string response;
  detail::SlistPtr headers;
  detail::append(headers, "Authorization: Bearer " + options_.apiKey);
  detail::append(headers, "Content-Type: application/json");
  // curl would otherwise wait for a "100 Continue" that many servers never send.
  detail::append(headers, "Expect:");

  curl_easy_setopt(h, CURLOPT_URL, options_.endpoint.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errorBuffer);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, options_.timeoutMs);
  curl_easy_setopt(h, CURLOPT_USERAGENT, kUserAgent);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, onBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &response);
  // No redirects: following one would resend the bearer key to wherever it points.

  const CURLcode code = curl_easy_perform(h);
  if (code != CURLE_OK) {
    return std::unexpected(detail::transportError("mail API request failed", code, errorBuffer));
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  return resendResponseStatus(status, response);
}

}  // namespace

MailerPtr makeResendMailer(ResendOptions options) {
  detail::initCurlOnce();
  return std::make_unique<ResendMailer>(std::move(options));
}

std::string resendRequestBody(const Message& message) {
  boost::json::object body;
  // JSON strings must be UTF-8; the API would refuse the whole request otherwise.
  body["from"] = toValidUtf8(message.from);
  body["to"] = boost::json::array{boost::json::value(toValidUtf8(message.to))};
  body["subject"] = toValidUtf8(message.subject);
  body["text"] = toValidUtf8(message.text);
  if (!message.html.empty()) body["html"] = toValidUtf8(message.html);
  return boost::json::serialize(body);
}

Status resendResponseStatus(long httpStatus, std::string_view responseBody) {
  if (httpStatus >= 200 && httpStatus < 300) return {};
  const std::string detail =
      "mail API answered HTTP " + std::to_string(httpStatus) + ": " + apiMessage(responseBody);
  // 408 and 429 are about timing, not about the message: a later attempt may well succeed.
  if (httpStatus >= 400 && httpStatus < 500 && httpStatus != 408 && httpStatus != 429) {
    return invalid(std::string(kMailRejected), detail);
  }
  return fail(ErrorKind::unavailable, std::string(kMailUnavailable), detail);
}

}  // namespace stratus::mail
