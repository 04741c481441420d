// What several route files need from a request: the caller's identity, a JSON body, an
// uploaded function, and the JSON views of stored records.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "api/function_service.h"
#include "api/invoke_service.h"
#include "api/routes.h"
#include "auth/auth_service.h"
#include "http/message.h"

namespace stratus::api {

// The caller, from "Authorization: Bearer <api key>" or the session cookie. A
// cookie-authenticated request that changes state must come from our own origin (the
// Origin header, when the browser sends one, must match Host): SameSite=Lax stops most
// cross-site writes and this closes the rest; the CSRF token of issue 3 adds to it.
Result<auth::Identity> authenticate(const http::Request& request, auth::AuthService& auth);
// Like authenticate, but no credentials at all is not an error (public functions). Wrong
// credentials still are.
Result<std::optional<auth::Identity>> authenticateOptional(const http::Request& request,
                                                           auth::AuthService& auth);

Result<boost::json::object> parseJsonObject(const http::Request& request);

struct FunctionUpload {
  FunctionFields fields;
  std::optional<UploadedCode> code;
};
// multipart/form-data with the clone's field names (functionFile, name, description,
// runtime, handler, timeout, memory) plus public and env.
Result<FunctionUpload> parseFunctionUpload(const http::Request& request,
                                           std::size_t maxUploadBytes);

// The body of both upload routes (v1 and the clone's): parse, validate, create.
Result<store::Function> createFromUpload(ApiContext& context, const http::Request& request,
                                         const std::string& userId);

boost::json::object userJson(const store::User& user);
boost::json::object apiKeyJson(const store::ApiKey& key);
boost::json::object functionJson(const store::Function& function,
                                 const std::optional<store::FunctionVersion>& version,
                                 const std::string& baseUrl);
boost::json::object versionJson(const store::FunctionVersion& version);
boost::json::object invocationJson(const store::Invocation& invocation);
// The clone's {status, stdout, stderr, timeout, durationMs}, plus what Stratus adds.
boost::json::object scriptResultJson(const InvokeOutcome& outcome);

}  // namespace stratus::api
