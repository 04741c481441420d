// Authentication of the Lambda-compatible API: every request is signed with AWS Signature
// Version 4 by one of the caller's API keys (access key id = the key's id, secret = the key
// itself). Unsigned requests are refused; there is no other way in.
#pragma once

#include "api/routes.h"
#include "auth/auth_service.h"
#include "http/message.h"

namespace stratus::api::lambda {

// The owner of the key that signed the request. Errors keep the verifier's codes
// (missing_signature, signature_mismatch, key_cannot_sign...), which lambdaError turns
// into Lambda's exception names.
Result<auth::Identity> authenticateSigned(const http::Request& request, ApiContext& context);

}  // namespace stratus::api::lambda
