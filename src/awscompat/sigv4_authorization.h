// The `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`
// header of an AWS Signature Version 4 request, parsed strictly: the header arrives before
// anything is authenticated, so every field has an exact shape and a size bound.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace stratus::awscompat {

inline constexpr std::string_view kSigV4Algorithm = "AWS4-HMAC-SHA256";

// The "date/region/service/aws4_request" part of a credential.
struct CredentialScope {
  std::string date;  // YYYYMMDD, a real calendar day
  std::string region;
  std::string service;

  // "20150830/us-east-1/iam/aws4_request", as it appears in the string to sign.
  std::string toString() const;
};

struct Authorization {
  std::string accessKeyId;
  CredentialScope scope;
  std::vector<std::string> signedHeaders;  // lower case, strictly ascending (hence unique)
  std::string signature;                   // 64 lower-case hex digits
};

// Parses the header value. The three parameters must come in the order every AWS SDK
// writes them, separated by ',' and optional spaces. Fails with "unsupported_algorithm"
// when the scheme is another one (the SigV2 "AWS", the SigV4a "AWS4-ECDSA-P256-SHA256",
// "Bearer"...) and with "malformed_authorization" for everything else; both are
// invalid_argument.
Result<Authorization> parseAuthorization(std::string_view header);

// The header value for these fields, in the form parseAuthorization reads.
std::string formatAuthorization(const Authorization& authorization);

// True for a valid YYYYMMDD calendar date.
bool isScopeDate(std::string_view text);

}  // namespace stratus::awscompat
