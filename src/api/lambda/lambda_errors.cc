#include "api/lambda/lambda_errors.h"

#include <boost/json.hpp>

#include <array>
#include <utility>

#include "common/log.h"

namespace stratus::api::lambda {
namespace {

struct CodeMapping {
  std::string_view code;
  LambdaErrorType type;
};

// Codes that name a specific Lambda exception. The signature codes come from
// awscompat::verify and auth::AuthService::signingSecret.
constexpr std::array kByCode = {
    CodeMapping{"missing_signature", {403, "MissingAuthenticationTokenException"}},
    CodeMapping{"invalid_access_key", {403, "UnrecognizedClientException"}},
    CodeMapping{"key_cannot_sign", {403, "UnrecognizedClientException"}},
    CodeMapping{"signature_mismatch", {403, "InvalidSignatureException"}},
    CodeMapping{"request_time_too_skewed", {403, "InvalidSignatureException"}},
    CodeMapping{"credential_scope_mismatch", {403, "InvalidSignatureException"}},
    CodeMapping{"malformed_authorization", {403, "IncompleteSignatureException"}},
    CodeMapping{"unsupported_algorithm", {403, "IncompleteSignatureException"}},
    CodeMapping{"missing_date", {403, "IncompleteSignatureException"}},
    CodeMapping{"malformed_date", {403, "IncompleteSignatureException"}},
    CodeMapping{"header_not_signed", {403, "IncompleteSignatureException"}},
    CodeMapping{"signed_header_missing", {403, "IncompleteSignatureException"}},
    CodeMapping{"malformed_header", {403, "IncompleteSignatureException"}},
    CodeMapping{"unnormalized_path", {403, "InvalidSignatureException"}},
    CodeMapping{"malformed_content_sha256", {403, "IncompleteSignatureException"}},
    CodeMapping{"content_sha256_mismatch", {403, "InvalidSignatureException"}},
    CodeMapping{"invalid_event", {400, "InvalidRequestContentException"}},
    CodeMapping{"invalid_json", {400, "InvalidRequestContentException"}},
    CodeMapping{"unknown_operation", {404, "UnknownOperationException"}},
    CodeMapping{"code_too_large", {413, "RequestTooLargeException"}},
    CodeMapping{"invalid_code", {400, "InvalidParameterValueException"}},
    CodeMapping{"email_not_verified", {403, "AccessDeniedException"}},
    CodeMapping{"revision_mismatch", {412, "PreconditionFailedException"}},
    CodeMapping{"unsupported_parameter", {400, "InvalidParameterValueException"}},
};

LambdaErrorType byKind(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_argument: return {400, "InvalidParameterValueException"};
    case ErrorKind::unauthorized: return {403, "UnrecognizedClientException"};
    case ErrorKind::forbidden: return {403, "AccessDeniedException"};
    case ErrorKind::not_found: return {404, "ResourceNotFoundException"};
    case ErrorKind::conflict: return {409, "ResourceConflictException"};
    case ErrorKind::payload_too_large: return {413, "RequestTooLargeException"};
    case ErrorKind::rate_limited: return {429, "TooManyRequestsException"};
    case ErrorKind::not_implemented: return {501, "ServiceException"};
    case ErrorKind::unavailable: return {503, "ServiceException"};
    case ErrorKind::internal: break;
  }
  return {500, "ServiceException"};
}

}  // namespace

LambdaErrorType lambdaErrorType(const Error& error) {
  for (const auto& mapping : kByCode)
    if (mapping.code == error.code) return mapping.type;
  return byKind(error.kind);
}

http::Response lambdaError(int status, std::string_view type, std::string message) {
  http::Response response = http::Response::json(
      status, boost::json::object{{"Type", status >= 500 ? "Service" : "User"},
                                  {"message", std::move(message)}});
  response.setHeader("x-amzn-ErrorType", std::string(type));
  return response;
}

http::Response lambdaError(const Error& error) {
  const LambdaErrorType type = lambdaErrorType(error);
  std::string message = error.message;
  // 5xx bodies never carry paths, SQL or host details (DESIGN §1); an executor that is not
  // configured is the one server-side condition whose message is meant for the caller.
  if (type.status >= 500 && error.kind != ErrorKind::not_implemented) {
    log::error("lambda api error", {{"code", error.code}, {"error", error.describe()}});
    message = error.kind == ErrorKind::unavailable ? "the service is unavailable, try again"
                                                   : "internal error";
  }
  http::Response response = lambdaError(type.status, type.type, std::move(message));
  if (error.kind == ErrorKind::rate_limited) {
    // Lambda says why a call was throttled; the SDKs expose it as Reason.
    boost::json::object body = boost::json::parse(response.body).as_object();
    body["Reason"] = error.code == "concurrency_limit" || error.code == "reserved_concurrency_zero"
                         ? "ReservedFunctionConcurrentInvocationLimitExceeded"
                         : "ConcurrentInvocationLimitExceeded";
    response.body = boost::json::serialize(body);
  }
  return response;
}

}  // namespace stratus::api::lambda
