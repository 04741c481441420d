#include "awscompat/sigv4.h"

#include <sodium.h>

#include <algorithm>
#include <optional>

#include "awscompat/sigv4_canonical.h"
#include "awscompat/sigv4_date.h"
#include "common/crypto.h"

namespace stratus::awscompat {
namespace {

std::string hmacSha256(std::string_view key, std::string_view message) {
  crypto_auth_hmacsha256_state state;
  // The _init form takes a key of any length; the one-shot crypto_auth_hmacsha256 wants
  // exactly 32 bytes, and "AWS4" + secret is not.
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  sodium_memzero(&state, sizeof state);
  return std::string(reinterpret_cast<const char*>(mac), sizeof mac);
}

std::string toHex(std::string_view bytes) {
  std::string hex(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                 bytes.size());
  hex.pop_back();
  return hex;
}

bool isHexDigest(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

std::unexpected<Error> unauthorized(std::string code, std::string message) {
  return fail(ErrorKind::unauthorized, std::move(code), std::move(message));
}

// The value of a header that must not be repeated: two X-Amz-Date or two Authorization
// headers would leave the signer and us free to read different ones.
Result<std::optional<std::string_view>> singleHeader(const http::Headers& headers,
                                                     std::string_view name,
                                                     std::string_view errorCode) {
  auto [first, last] = headers.equal_range(name);
  if (first == last) return std::optional<std::string_view>();
  if (std::next(first) != last)
    return invalid(std::string(errorCode), "the " + std::string(name) + " header is repeated");
  return std::optional<std::string_view>(first->second);
}

bool isSigned(const Authorization& authorization, std::string_view name) {
  return std::binary_search(authorization.signedHeaders.begin(), authorization.signedHeaders.end(),
                            name);
}

struct RequestTime {
  std::chrono::sys_seconds time;
  std::string amzDate;     // as it goes into the string to sign
  std::string headerName;  // the header it came from, which must be signed
};

// X-Amz-Date, or else Date, as AWS reads them.
Result<RequestTime> requestTimeOf(const http::Request& request) {
  auto amzDate = singleHeader(request.headers, "x-amz-date", "malformed_date");
  if (!amzDate) return std::unexpected(std::move(amzDate.error()));
  if (*amzDate) {
    auto time = parseAmzDate(**amzDate);
    if (!time) return invalid("malformed_date", "X-Amz-Date must look like 20150830T123600Z");
    return RequestTime{*time, std::string(**amzDate), "x-amz-date"};
  }
  auto date = singleHeader(request.headers, "date", "malformed_date");
  if (!date) return std::unexpected(std::move(date.error()));
  if (!*date) return invalid("missing_date", "a signed request needs an X-Amz-Date header");
  auto time = parseHttpDate(**date);
  if (!time) return invalid("malformed_date", "Date must look like Sun, 30 Aug 2015 12:36:00 GMT");
  return RequestTime{*time, formatAmzDate(*time), "date"};
}

// The body's SHA-256, which a client may also declare in x-amz-content-sha256. A declared
// value is checked against the body rather than trusted: signing the declaration alone
// would let the body be swapped.
Result<std::string> payloadHashOf(const http::Request& request) {
  auto declared = singleHeader(request.headers, "x-amz-content-sha256", "malformed_content_sha256");
  if (!declared) return std::unexpected(std::move(declared.error()));
  std::string actual = sha256Hex(request.body);
  if (!*declared) return actual;
  if (!isHexDigest(**declared))
    return invalid("malformed_content_sha256",
                   "x-amz-content-sha256 must be the hex SHA-256 of the body (unsigned and "
                   "streaming payloads are not supported)");
  std::string lower(**declared);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return c >= 'A' && c <= 'F' ? static_cast<char>(c + 32) : c; });
  if (lower != actual)
    return invalid("content_sha256_mismatch", "x-amz-content-sha256 does not match the body");
  return std::string(**declared);  // as declared: that is the spelling the client signed
}

Status checkScope(const CredentialScope& scope, const RequestTime& time,
                  const VerifyOptions& options) {
  if (scope.date != std::string_view(time.amzDate).substr(0, 8))
    return unauthorized("credential_scope_mismatch", "the credential date " + scope.date +
                                                         " is not the date of " + time.headerName +
                                                         " (" + time.amzDate.substr(0, 8) + ")");
  if (!options.service.empty() && scope.service != options.service)
    return unauthorized("credential_scope_mismatch",
                        "the credential must be scoped to the service " + options.service);
  if (!options.region.empty() && scope.region != options.region)
    return unauthorized("credential_scope_mismatch",
                        "the credential must be scoped to the region " + options.region);
  return {};
}

}  // namespace

std::string stringToSign(std::string_view amzDate, const CredentialScope& scope,
                         std::string_view canonicalRequest) {
  return std::string(kSigV4Algorithm) + "\n" + std::string(amzDate) + "\n" + scope.toString() +
         "\n" + sha256Hex(canonicalRequest);
}

std::string signingKey(std::string_view secret, const CredentialScope& scope) {
  std::string key = "AWS4" + std::string(secret);
  std::string dateKey = hmacSha256(key, scope.date);
  sodium_memzero(key.data(), key.size());
  std::string regionKey = hmacSha256(dateKey, scope.region);
  std::string serviceKey = hmacSha256(regionKey, scope.service);
  return hmacSha256(serviceKey, "aws4_request");
}

std::string signatureOf(std::string_view secret, const CredentialScope& scope,
                        std::string_view stringToSign) {
  return toHex(hmacSha256(signingKey(secret, scope), stringToSign));
}

Result<std::string> verify(const http::Request& request, const SecretLookup& lookupSecret,
                           std::chrono::system_clock::time_point now,
                           const VerifyOptions& options) {
  // Everything that needs no secret is checked first, so junk never reaches the key store.
  auto header = singleHeader(request.headers, "authorization", "malformed_authorization");
  if (!header) return std::unexpected(std::move(header.error()));
  if (!*header) {
    if (request.queryValue("X-Amz-Signature"))
      return unauthorized("missing_signature",
                          "presigned URLs are not supported: sign the Authorization header");
    return unauthorized("missing_signature",
                        "the request is not signed: an AWS4-HMAC-SHA256 Authorization header "
                        "is required");
  }
  auto authorization = parseAuthorization(**header);
  if (!authorization) return std::unexpected(std::move(authorization.error()));

  auto time = requestTimeOf(request);
  if (!time) return std::unexpected(std::move(time.error()));
  // The host keeps a signature from being replayed against another server; the date is
  // what the skew check below reads.
  for (const std::string& required : {std::string("host"), time->headerName}) {
    if (!isSigned(*authorization, required))
      return invalid("header_not_signed", "SignedHeaders must include " + required);
  }
  if (auto ok = checkScope(authorization->scope, *time, options); !ok)
    return std::unexpected(std::move(ok.error()));
  // In whole seconds: the request may claim any year from 0000 to 9999, and that far from
  // now does not fit system_clock's nanoseconds.
  const auto offset = std::chrono::floor<std::chrono::seconds>(now) - time->time;
  if (offset > options.skew || offset < -options.skew)
    return unauthorized("request_time_too_skewed", "the request was signed at " + time->amzDate +
                                                       ", too far from the server's clock");

  auto payloadHash = payloadHashOf(request);
  if (!payloadHash) return std::unexpected(std::move(payloadHash.error()));
  const std::string_view rawPath = http::rawPathOf(request.target);
  if (!rawPath.empty() && normalizePath(rawPath) != rawPath)
    return invalid("unnormalized_path", "the path has empty, '.' or '..' segments");
  auto canonical = canonicalRequest(request, authorization->signedHeaders, *payloadHash);
  if (!canonical) return std::unexpected(std::move(canonical.error()));

  auto secret = lookupSecret(authorization->accessKeyId);
  if (!secret) {
    const ErrorKind kind = secret.error().kind;
    if (kind != ErrorKind::not_found && kind != ErrorKind::unauthorized)
      return propagate(std::move(secret.error()), "look up the access key");
  }
  // An empty secret would make the signing key "AWS4", which anyone can compute.
  if (!secret || secret->empty())
    return unauthorized("invalid_access_key", "the access key id is not valid");

  const std::string expected = signatureOf(
      *secret, authorization->scope, stringToSign(time->amzDate, authorization->scope, *canonical));
  if (!constantTimeEquals(expected, authorization->signature))
    return unauthorized("signature_mismatch",
                        "the signature does not match the request and the access key's secret");
  return std::move(authorization->accessKeyId);
}

}  // namespace stratus::awscompat
