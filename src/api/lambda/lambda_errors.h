// Errors in the shape the AWS SDKs parse for Lambda: the status code, the exception name in
// the x-amzn-ErrorType header and {"Type": "User" | "Service", "message": ...} as the body.
// One mapping from Stratus's Error (common/error.h) to Lambda's exception names, so route
// code keeps the one error convention and only the last step speaks Lambda.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"
#include "http/message.h"

namespace stratus::api::lambda {

http::Response lambdaError(int status, std::string_view type, std::string message);
// By the error's code where Lambda has a specific exception (signatures, invalid request
// content, unknown operations), else by its kind: not_found -> ResourceNotFoundException 404,
// conflict -> ResourceConflictException 409, invalid_argument ->
// InvalidParameterValueException 400, rate_limited -> TooManyRequestsException 429, ...
// 5xx messages are replaced by a generic one; the details go to the log.
http::Response lambdaError(const Error& error);

// The exception name and status lambdaError(error) answers with; for tests.
struct LambdaErrorType {
  int status = 500;
  std::string_view type;
};
LambdaErrorType lambdaErrorType(const Error& error);

}  // namespace stratus::api::lambda
