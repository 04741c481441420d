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

enum class Verification {
  required,  // deploy, invoke, keys: refused with email_not_verified until verified
  optional,  // the account's own pages: me, resend, change password, delete
};

// The caller, from "Authorization: Bearer <api key>" or the session cookie. A
// cookie-authenticated request that changes state must pass the CSRF checks: the Origin
// header, when sent, names this site, and X-CSRF-Token holds the token bound to the
// session (auth/csrf.h). API keys are not ambient credentials and need neither.
Result<auth::Identity> authenticate(const http::Request& request, ApiContext& context,
                                    Verification verification = Verification::required);
// Like authenticate, but no credentials at all is not an error (public functions). Wrong
// credentials still are.
// changesState: a GET that runs code or writes records (the clone's invoke route) needs
// the CSRF token like any write when it comes with a cookie: SameSite=Lax cookies ride on
// cross-site top-level navigations, which are GETs.
Result<std::optional<auth::Identity>> authenticateOptional(const http::Request& request,
                                                           ApiContext& context,
                                                           bool changesState = false);
// The session's CSRF checks: Origin (checkSameOrigin) and X-CSRF-Token.
Status checkCsrf(const http::Request& request, const ApiContext& context,
                 std::string_view session);
// Origin, when present, must be this site (Host, or the public URL's origin). Used on
// every state-changing account route, signed in or not: it is what stops a cross-site
// form from signing a victim into the attacker's account.
Status checkSameOrigin(const http::Request& request, const ApiContext& context);

// A handler for a route naming one of the caller's functions ({name}: its name or id):
// authenticates, loads it and calls body(request, identity, function). Another user's
// function is function_not_found, exactly like a missing one, so ids and names cannot be
// probed.
template <class Body>
http::Handler withFunction(ApiContext& context, Body body) {
  return [&context, body](http::Request& request) -> http::Response {
    auto identity = authenticate(request, context);
    if (!identity) return http::Response::error(identity.error());
    auto function = context.functions.find(identity->user.id, request.params["name"]);
    if (!function) return http::Response::error(function.error());
    return body(request, *identity, *function);
  };
}

Result<boost::json::object> parseJsonObject(const http::Request& request);
// The member as a string, or "" when absent or not a string.
std::string stringMember(const boost::json::object& body, std::string_view key);

struct FunctionUpload {
  FunctionFields fields;
  std::optional<UploadedCode> code;
};
// multipart/form-data with the clone's field names (functionFile, name, description,
// runtime, handler, timeout, memory) plus public, env, mode, concurrency and prewarm.
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
// X-Stratus-Invocation-Id, -Cold-Start, -Duration-Ms, -Billed-Duration-Ms and, after a
// cold start, -Init-Duration-Ms.
void setInvocationHeaders(http::Response& response, const store::Invocation& record,
                          const InvocationFacts& facts);
// 200 with the handler's JSON (or its error object and X-Stratus-Function-Error) and the
// invocation headers.
http::Response handlerResponse(HandlerOutcome outcome);

}  // namespace stratus::api
