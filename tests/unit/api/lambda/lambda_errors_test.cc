#include "api/lambda/lambda_errors.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace stratus::api::lambda {
namespace {

TEST(LambdaErrors, KindsAndCodesMapToLambdasExceptions) {
  struct Case {
    Error error;
    int status;
    const char* type;
  };
  const Case cases[] = {
      {{ErrorKind::not_found, "function_not_found", "x", {}}, 404, "ResourceNotFoundException"},
      {{ErrorKind::conflict, "function_exists", "x", {}}, 409, "ResourceConflictException"},
      {{ErrorKind::invalid_argument, "invalid_timeout", "x", {}}, 400,
       "InvalidParameterValueException"},
      {{ErrorKind::invalid_argument, "invalid_event", "x", {}}, 400,
       "InvalidRequestContentException"},
      {{ErrorKind::rate_limited, "concurrency_limit", "x", {}}, 429, "TooManyRequestsException"},
      {{ErrorKind::unauthorized, "missing_signature", "x", {}}, 403,
       "MissingAuthenticationTokenException"},
      {{ErrorKind::unauthorized, "signature_mismatch", "x", {}}, 403, "InvalidSignatureException"},
      {{ErrorKind::unauthorized, "invalid_access_key", "x", {}}, 403,
       "UnrecognizedClientException"},
      {{ErrorKind::forbidden, "key_cannot_sign", "x", {}}, 403, "UnrecognizedClientException"},
      {{ErrorKind::conflict, "revision_mismatch", "x", {}}, 412, "PreconditionFailedException"},
      {{ErrorKind::payload_too_large, "code_too_large", "x", {}}, 413, "RequestTooLargeException"},
  };
  for (const auto& c : cases) {
    auto response = lambdaError(c.error);
    EXPECT_EQ(response.status, c.status) << c.error.code;
    EXPECT_EQ(response.header("x-amzn-ErrorType"), c.type) << c.error.code;
    auto body = boost::json::parse(response.body);
    EXPECT_EQ(body.at("Type"), "User");
    EXPECT_EQ(body.at("message"), "x");
  }
}

TEST(LambdaErrors, ThrottlesSayWhyAndServerErrorsHideDetails) {
  auto throttled = lambdaError(Error{ErrorKind::rate_limited, "reserved_concurrency_zero", "m", {}});
  EXPECT_EQ(boost::json::parse(throttled.body).at("Reason"),
            "ReservedFunctionConcurrentInvocationLimitExceeded");
  auto internal = lambdaError(Error{ErrorKind::internal, "internal", "SELECT * FROM secrets", {}});
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(internal.header("x-amzn-ErrorType"), "ServiceException");
  auto body = boost::json::parse(internal.body);
  EXPECT_EQ(body.at("Type"), "Service");
  EXPECT_EQ(internal.body.find("SELECT"), std::string::npos);
}

}  // namespace
}  // namespace stratus::api::lambda
