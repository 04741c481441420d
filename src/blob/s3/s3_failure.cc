#include "blob/s3/s3_failure.h"

#include <algorithm>
#include <array>

namespace stratus::blob::s3 {
namespace {

constexpr std::chrono::milliseconds kMaxBackoff{20'000};
constexpr std::size_t kMaxQuoted = 300;

bool isOneOf(std::string_view code, std::initializer_list<std::string_view> codes) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

// S3's messages are plain sentences, but a proxy's error page is not: keep printable ASCII
// and a bounded length before it goes into a log line or an API answer.
std::string quoted(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (out.size() >= kMaxQuoted) {
      out += "...";
      break;
    }
    const auto byte = static_cast<unsigned char>(c);
    out += (byte >= ' ' && byte < 127) ? c : ' ';
  }
  return out;
}

std::string answerName(const Reply& reply) {
  std::string name = "HTTP " + std::to_string(reply.status);
  if (!reply.s3Code.empty()) name += " " + reply.s3Code;
  return name;
}

std::string whyDenied(const Reply& reply, const RequestSite& site) {
  const std::string& code = reply.s3Code;
  if (code == "InvalidAccessKeyId") return "the access key id is not known to this store";
  if (code == "SignatureDoesNotMatch") {
    return "the secret access key does not match the access key id";
  }
  if (code == "ExpiredToken" || code == "TokenRefreshRequired") {
    return "the session token has expired";
  }
  if (code == "InvalidToken") return "the session token is not valid";
  if (code == "AccessDenied") {
    return "the credentials may not " + site.operation + " in bucket \"" + site.bucket + "\"";
  }
  if (code.empty()) return "HTTP 403 without detail (answers to HEAD carry no body)";
  return quoted(reply.s3Message);
}

Error withContext(Error error, const Reply& reply, const RequestSite& site) {
  std::string cause;
  if (!reply.answered) {
    cause = reply.transportDetail.empty() ? reply.transportError : reply.transportDetail;
  } else {
    cause = answerName(reply);
    if (!reply.s3Message.empty()) cause += ": " + quoted(reply.s3Message);
  }
  cause += " (" + std::to_string(site.attempts) + (site.attempts == 1 ? " attempt)" : " attempts)");
  error.addContext("S3 at " + site.endpoint + ": " + cause);
  error.addContext(site.key.empty() ? site.operation : site.operation + " " + site.key);
  return error;
}

}  // namespace

bool isRetryable(const Reply& reply) {
  if (!reply.answered) return reply.transient;
  if (reply.status == 429 || reply.status == 500 || reply.status == 502 || reply.status == 503 ||
      reply.status == 504) {
    return true;
  }
  // RequestTimeout comes as a 400: S3 gave up waiting for the body, a retry may well finish.
  return isOneOf(reply.s3Code,
                 {"SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable"});
}

std::chrono::milliseconds backoffDelay(int attempt, std::chrono::milliseconds base,
                                       double random01) {
  std::chrono::milliseconds window = base;
  for (int i = 1; i < attempt && window < kMaxBackoff; ++i) window *= 2;
  window = std::min(window, kMaxBackoff);
  random01 = std::clamp(random01, 0.0, 1.0);
  const double delay = static_cast<double>(window.count()) * (0.5 + random01 / 2);
  return std::min(window, std::chrono::milliseconds(static_cast<long long>(delay)));
}

// The message reaches API clients (as the reason their upload failed), so it says what is
// wrong without the store's address; the address and transport detail go into the
// context, which only the log and `stratus doctor` show.
Error describeFailure(const Reply& reply, const RequestSite& site) {
  const std::string store = "the blob store (S3)";
  auto make = [&](ErrorKind kind, std::string_view code, std::string message) {
    return withContext(Error{kind, std::string(code), std::move(message), {}}, reply, site);
  };
  if (!reply.answered) {
    return make(ErrorKind::unavailable, kUnavailable,
                store + " is unreachable: " + reply.transportError);
  }
  const std::string& code = reply.s3Code;
  if (code == "NoSuchBucket") {
    return make(ErrorKind::unavailable, kMisconfigured,
                store + " has no bucket \"" + site.bucket + "\" (NoSuchBucket)");
  }
  if (reply.status == 403 ||
      isOneOf(code, {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "ExpiredToken",
                     "TokenRefreshRequired", "InvalidToken"})) {
    std::string message = store + " refused the request";
    if (!code.empty()) message += ": " + code;
    message += " (" + whyDenied(reply, site) + ")";
    return make(ErrorKind::unavailable, kDenied, std::move(message));
  }
  // A wrong region shows as a malformed authorization (the scope names the region) or as
  // a redirect to the bucket's own regional endpoint.
  if (reply.status == 301 || reply.status == 307 ||
      isOneOf(code, {"AuthorizationHeaderMalformed", "PermanentRedirect", "TemporaryRedirect",
                     "IllegalLocationConstraintException", "InvalidBucketName"})) {
    std::string message = store + " says the configuration is wrong: " + answerName(reply);
    if (!reply.s3Message.empty())
      message += " (" + quoted(reply.s3Message) + ")";
    else
      message += " (check the region and the endpoint)";
    return make(ErrorKind::unavailable, kMisconfigured, std::move(message));
  }
  if (isRetryable(reply)) {
    return make(ErrorKind::unavailable, kUnavailable, store + " is failing: " + answerName(reply));
  }
  return make(ErrorKind::internal, kStorageError,
              store + " refused to " + site.operation + ": " + answerName(reply));
}

}  // namespace stratus::blob::s3
