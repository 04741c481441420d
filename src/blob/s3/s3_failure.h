// Pure decisions about a failed S3 request: is it worth another attempt, how long to wait
// first, and which Error it becomes for the caller (and for `stratus doctor`).
//
// Error codes, all ErrorKind::unavailable unless noted:
//   blob_storage_unavailable    no answer (DNS, connect, timeout) or 5xx/429/SlowDown left
//                               after the last attempt
//   blob_storage_denied         403, or InvalidAccessKeyId / SignatureDoesNotMatch /
//                               AccessDenied / expired token: the credentials are at fault
//   blob_storage_misconfigured  NoSuchBucket, wrong region, redirects to another endpoint
//   blob_storage_error          (internal) any other refusal; S3's code is in the context
// Messages name the endpoint and the S3 error code, never a credential.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/error.h"

namespace stratus::blob::s3 {

inline constexpr std::string_view kUnavailable = "blob_storage_unavailable";
inline constexpr std::string_view kDenied = "blob_storage_denied";
inline constexpr std::string_view kMisconfigured = "blob_storage_misconfigured";
inline constexpr std::string_view kStorageError = "blob_storage_error";

// What one attempt came back with.
struct Reply {
  // No HTTP answer at all: transportError is curl's short description ("Couldn't connect to
  // server"), transportDetail its error buffer ("Failed to connect to 127.0.0.1 port 9 ...").
  bool answered = true;
  bool transient = false;  // for !answered: worth another attempt (connect, DNS, timeout)
  std::string transportError, transportDetail;
  long status = 0;
  std::string s3Code, s3Message;  // from the <Error> body, when there was one
};

bool isRetryable(const Reply& reply);

// How long to wait after failed attempt `attempt` (1 = the first): an exponential window
// w = base * 2^(attempt-1), capped at 20 s, and a delay in [w/2, w) picked by random01 in
// [0, 1). The jitter keeps workers that failed together from retrying in lock-step; the
// floor keeps a retry from coming back before the store had any time to recover.
std::chrono::milliseconds backoffDelay(int attempt, std::chrono::milliseconds base,
                                       double random01);

// Where and what, for the message and context of the Error.
struct RequestSite {
  std::string endpoint;  // "http://127.0.0.1:9000" or "https://s3.eu-west-1.amazonaws.com"
  std::string bucket;
  std::string operation;  // "put blob", "list blobs", ...
  std::string key;        // the blob key, may be empty
  int attempts = 1;
};

// The Error for a reply that is not a success (and not a 404 the caller handles itself).
Error describeFailure(const Reply& reply, const RequestSite& site);

}  // namespace stratus::blob::s3
