#include "api/lambda/lambda_auth.h"

#include <chrono>

#include "awscompat/sigv4.h"

namespace stratus::api::lambda {

Result<auth::Identity> authenticateSigned(const http::Request& request, ApiContext& context) {
  // Any region is accepted: a Stratus server is one region whatever the SDK is set to, and
  // the region is still covered by the signature.
  awscompat::VerifyOptions options;
  options.service = "lambda";
  auto keyId = awscompat::verify(
      request, [&context](std::string_view id) { return context.auth.signingSecret(id); },
      std::chrono::system_clock::now(), options);
  if (!keyId) return std::unexpected(std::move(keyId.error()));
  auto identity = context.auth.identityOfKey(*keyId);
  if (!identity) return identity;
  if (context.options.requireVerifiedEmail && !identity->user.emailVerifiedAt)
    return fail(ErrorKind::forbidden, "email_not_verified",
                "verify your email address before using the Lambda API");
  return identity;
}

}  // namespace stratus::api::lambda
