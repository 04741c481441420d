// AWS Signature Version 4 verification of incoming requests (AWS4-HMAC-SHA256 in the
// Authorization header), for the Lambda-compatible API: the access key id is a Stratus API
// key id, the secret its secret. Pure: the secret lookup and the clock are passed in.
//
// Not supported: presigned URLs (the signature in the query string), SigV4a, unsigned and
// streaming payloads (x-amz-content-sha256: UNSIGNED-PAYLOAD / STREAMING-...), and S3's
// path rules (single encoding, no normalization).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "awscompat/sigv4_authorization.h"
#include "common/error.h"
#include "http/message.h"

namespace stratus::awscompat {

// "AWS4-HMAC-SHA256\n<amzDate>\n<scope>\n<hex sha256 of the canonical request>".
std::string stringToSign(std::string_view amzDate, const CredentialScope& scope,
                         std::string_view canonicalRequest);

// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"),
// 32 raw bytes.
std::string signingKey(std::string_view secret, const CredentialScope& scope);

// Hex HMAC-SHA256 of the string to sign under the signing key.
std::string signatureOf(std::string_view secret, const CredentialScope& scope,
                        std::string_view stringToSign);

// The secret of an access key id. Fails with not_found (or unauthorized) for a key that
// does not exist or is revoked; any other error (the store is down) is passed on as is.
using SecretLookup = std::function<Result<std::string>(std::string_view accessKeyId)>;

struct VerifyOptions {
  // How far X-Amz-Date may be from `now`, either way. AWS allows 5 minutes; a captured
  // request can be replayed within this window, as with AWS itself.
  std::chrono::seconds skew = std::chrono::minutes(5);
  // When set, the credential scope must name this service / region ("lambda", "us-east-1").
  std::string service;
  std::string region;
};

// Checks the request's signature; returns the access key id that signed it. Errors:
//   unauthorized:     missing_signature, credential_scope_mismatch, request_time_too_skewed,
//                     invalid_access_key, signature_mismatch
//   invalid_argument: malformed_authorization, unsupported_algorithm, missing_date,
//                     malformed_date, header_not_signed (host, or the date header used),
//                     signed_header_missing, malformed_header, unnormalized_path,
//                     malformed_content_sha256, content_sha256_mismatch
// The path is the raw one of `request.target`, the query the decoded `request.query`.
// A path with empty, "." or ".." segments is refused rather than normalized: the signature
// would cover another path than the one the router sees.
Result<std::string> verify(const http::Request& request, const SecretLookup& lookupSecret,
                           std::chrono::system_clock::time_point now,
                           const VerifyOptions& options = {});

}  // namespace stratus::awscompat
