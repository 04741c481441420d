#include "api/request_support.h"

#include <boost/json/parse.hpp>

#include "auth/csrf.h"
#include "common/utf8.h"
#include "http/cookies.h"
#include "http/multipart.h"

namespace stratus::api {
namespace {

bool isSafeMethod(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

// "scheme://authority" of a URL, or empty.
std::string_view originOf(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  auto path = url.find('/', scheme + 3);
  return url.substr(0, path);
}

std::optional<std::string> sessionCookie(const http::Request& request) {
  auto header = request.header("Cookie");
  if (!header) return std::nullopt;
  return http::findCookie(*header, auth::kSessionCookie);
}

}  // namespace

Status checkCsrf(const http::Request& request, const ApiContext& context,
                 std::string_view session) {
  if (auto same = checkSameOrigin(request, context); !same) return same;
  auto token = request.header(auth::kCsrfHeader);
  if (!token || !auth::csrfTokenMatches(*token, session, context.keys.csrf))
    return fail(ErrorKind::forbidden, "csrf_token_invalid",
                "send the stratus_csrf cookie's value in the X-CSRF-Token header");
  return {};
}

namespace {

Result<std::optional<auth::Identity>> identify(const http::Request& request, ApiContext& context,
                                               bool changesState) {
  if (auto authorization = request.header("Authorization")) {
    std::string_view value = *authorization;
    if (!value.starts_with("Bearer "))
      return fail(ErrorKind::unauthorized, "invalid_authorization",
                  "Authorization must be 'Bearer <api key>'");
    auto identity = context.auth.authenticateApiKey(value.substr(7));
    if (!identity) return std::unexpected(identity.error());
    return std::optional<auth::Identity>(std::move(*identity));
  }
  auto cookie = sessionCookie(request);
  if (!cookie) return std::optional<auth::Identity>();
  auto identity = context.auth.authenticateSession(*cookie);
  if (!identity) return std::unexpected(identity.error());
  if (changesState || !isSafeMethod(request.method))
    if (auto ok = checkCsrf(request, context, *cookie); !ok) return std::unexpected(ok.error());
  return std::optional<auth::Identity>(std::move(*identity));
}

}  // namespace

Status checkSameOrigin(const http::Request& request, const ApiContext& context) {
  auto origin = request.header("Origin");
  if (!origin) return {};  // not a browser, or a same-origin GET: the token check remains
  // Browsers send "Origin: null" on a same-origin form POST from a page whose referrer
  // policy withholds the origin; Sec-Fetch-Site, which pages cannot set, still tells.
  if (*origin == "null") {
    auto site = request.header("Sec-Fetch-Site");
    if (site && *site == "same-origin") return {};
  }
  // "null" (sandboxed frames, some redirects) and anything unparsable count as foreign.
  std::string_view sent = originOf(*origin);
  std::string_view authority = sent.empty() ? sent : sent.substr(sent.find("://") + 3);
  auto host = request.header("Host");
  const bool matchesHost = !sent.empty() && host && authority == *host;
  std::string_view ours = originOf(context.options.publicBaseUrl);
  const bool matchesPublicUrl = !sent.empty() && !ours.empty() && sent == ours;
  if (!matchesHost && !matchesPublicUrl)
    return fail(ErrorKind::forbidden, "cross_origin", "this request must come from this site");
  return {};
}

Result<auth::Identity> authenticate(const http::Request& request, ApiContext& context,
                                    Verification verification) {
  auto identity = identify(request, context, false);
  if (!identity) return std::unexpected(identity.error());
  if (!*identity)
    return fail(ErrorKind::unauthorized, "unauthenticated",
                "sign in or send 'Authorization: Bearer <api key>'");
  if (verification == Verification::required && context.options.requireVerifiedEmail &&
      !(*identity)->user.emailVerifiedAt)
    return fail(ErrorKind::forbidden, "email_not_verified",
                "verify your email address first: open the link we mailed you, or ask for a new "
                "one with POST /api/v1/auth/resend");
  return std::move(**identity);
}

Result<std::optional<auth::Identity>> authenticateOptional(const http::Request& request,
                                                           ApiContext& context,
                                                           bool changesState) {
  auto identity = identify(request, context, changesState);
  if (!identity) return identity;
  if (*identity && context.options.requireVerifiedEmail && !(*identity)->user.emailVerifiedAt)
    return fail(ErrorKind::forbidden, "email_not_verified", "verify your email address first");
  return identity;
}

Result<boost::json::object> parseJsonObject(const http::Request& request) {
  boost::system::error_code ec;
  auto value = boost::json::parse(request.body.empty() ? std::string_view("{}") : request.body, ec);
  if (ec) return invalid("invalid_json", "request body is not valid JSON: " + ec.message());
  if (!value.is_object()) return invalid("invalid_json", "request body must be a JSON object");
  return std::move(value.as_object());
}

std::string stringMember(const boost::json::object& body, std::string_view key) {
  auto* value = body.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

Result<FunctionUpload> parseFunctionUpload(const http::Request& request,
                                           std::size_t maxUploadBytes) {
  auto contentType = request.header("Content-Type");
  if (!contentType || !contentType->starts_with("multipart/form-data"))
    return invalid("expected_multipart",
                   "send the function as multipart/form-data with a functionFile part");
  http::MultipartLimits limits;
  auto parts = http::parseMultipart(*contentType, request.body, limits);
  if (!parts) return std::unexpected(parts.error());
  FunctionUpload upload;
  for (auto& part : *parts) {
    if (part.name == "functionFile" || part.name == "file" || part.name == "code") {
      if (upload.code) return invalid("duplicate_file", "send exactly one functionFile");
      if (part.data.size() > maxUploadBytes)
        return fail(ErrorKind::payload_too_large, "code_too_large", "functionFile is too large");
      upload.code = UploadedCode{part.filename, std::move(part.data)};
      continue;
    }
    std::optional<std::string>* field = nullptr;
    if (part.name == "name") field = &upload.fields.name;
    else if (part.name == "description") field = &upload.fields.description;
    else if (part.name == "runtime") field = &upload.fields.runtime;
    else if (part.name == "handler") field = &upload.fields.handler;
    else if (part.name == "timeout") field = &upload.fields.timeout;
    else if (part.name == "memory") field = &upload.fields.memory;
    else if (part.name == "public") field = &upload.fields.isPublic;
    else if (part.name == "env") field = &upload.fields.env;
    else if (part.name == "mode") field = &upload.fields.mode;
    else if (part.name == "executor") field = &upload.fields.executor;
    else if (part.name == "concurrency") field = &upload.fields.concurrency;
    else if (part.name == "prewarm") field = &upload.fields.prewarm;
    else return invalid("unknown_field", "unknown form field '" + part.name + "'");
    if (part.data.size() > 8192)
      return invalid("field_too_large", "form field '" + part.name + "' is too large");
    *field = std::move(part.data);
  }
  return upload;
}

Result<store::Function> createFromUpload(ApiContext& context, const http::Request& request,
                                         const std::string& userId) {
  auto upload = parseFunctionUpload(request, context.options.package.maxUploadBytes);
  if (!upload) return std::unexpected(upload.error());
  if (!upload->code) return invalid("missing_file", "functionFile is required");
  auto spec = validateFields(upload->fields);
  if (!spec) return std::unexpected(spec.error());
  auto created = context.functions.create(userId, std::move(*spec), *upload->code);
  if (created) context.invoker.warmCode(*created);
  return created;
}

boost::json::object userJson(const store::User& user) {
  return {{"id", user.id},
          {"email", user.email},
          {"name", user.name},
          {"emailVerified", user.emailVerifiedAt.has_value()},
          {"createdAt", user.createdAt}};
}

boost::json::object apiKeyJson(const store::ApiKey& key) {
  boost::json::object out{{"id", key.id}, {"name", key.name}, {"prefix", key.prefix},
                          {"createdAt", key.createdAt}};
  out["lastUsedAt"] = key.lastUsedAt ? boost::json::value(*key.lastUsedAt) : nullptr;
  out["revokedAt"] = key.revokedAt ? boost::json::value(*key.revokedAt) : nullptr;
  return out;
}

boost::json::object functionJson(const store::Function& f,
                                 const std::optional<store::FunctionVersion>& version,
                                 const std::string& baseUrl) {
  boost::json::object env;
  for (auto& [k, v] : f.env) env[k] = v;
  boost::json::object out{{"id", f.id},
                          {"userId", f.userId},
                          {"name", f.name},
                          {"description", f.description},
                          {"runtime", f.runtime},
                          {"handler", f.handler},
                          {"mode", f.mode},
                          {"executor", f.executor},
                          {"timeout", f.timeoutS},
                          {"memory", f.memoryMb},
                          {"env", std::move(env)},
                          {"public", f.isPublic},
                          {"concurrency", nullptr},  // unreserved
                          {"prewarm", f.prewarm},
                          {"currentVersion", f.currentVersion},
                          {"createdAt", f.createdAt},
                          {"updatedAt", f.updatedAt},
                          {"invokeUrl", baseUrl + "/api/function/" + f.userId + "/" + f.name +
                                            "/sandbox"}};
  if (f.concurrencyLimit) out["concurrency"] = *f.concurrencyLimit;
  if (version) {
    out["codeSha256"] = version->codeSha256;
    out["codeSize"] = version->codeSize;
  }
  return out;
}

boost::json::object versionJson(const store::FunctionVersion& v) {
  return {{"version", v.version}, {"codeSha256", v.codeSha256}, {"codeSize", v.codeSize},
          {"createdAt", v.createdAt}};
}

boost::json::object invocationJson(const store::Invocation& i) {
  return {{"id", i.id},
          {"version", i.version},
          {"executor", i.executor},
          {"startedAt", i.startedAt},
          {"durationMs", i.durationMs},
          {"status", i.status},
          {"exitCode", i.exitCode},
          {"timedOut", i.timedOut},
          {"coldStart", i.coldStart},
          {"initDurationMs", i.initDurationMs},
          {"memoryUsed", i.memoryUsed},
          {"error", i.error},
          {"logExcerpt", i.logExcerpt}};
}

void setInvocationHeaders(http::Response& response, const store::Invocation& record,
                          const InvocationFacts& facts) {
  auto millis = [](double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", value);
    return std::string(text);
  };
  response.setHeader("X-Stratus-Invocation-Id", record.id);
  response.setHeader("X-Stratus-Cold-Start", facts.coldStart ? "true" : "false");
  response.setHeader("X-Stratus-Duration-Ms", millis(facts.durationMs));
  response.setHeader("X-Stratus-Billed-Duration-Ms", std::to_string(facts.billedMs));
  if (facts.coldStart) response.setHeader("X-Stratus-Init-Duration-Ms", millis(facts.initDurationMs));
}

http::Response handlerResponse(HandlerOutcome outcome) {
  http::Response response;
  response.status = 200;
  response.setHeader("Content-Type", "application/json");
  response.body = std::move(outcome.body);
  if (!outcome.functionError.empty())
    response.setHeader("X-Stratus-Function-Error", outcome.functionError);
  setInvocationHeaders(response, outcome.record, outcome.facts);
  return response;
}

boost::json::object scriptResultJson(const InvokeOutcome& outcome) {
  const auto& r = outcome.result;
  boost::json::object out{{"status", r.exitCode},
                          {"stdout", toValidUtf8(r.stdoutData)},
                          {"stderr", toValidUtf8(r.stderrData)},
                          {"timeout", r.timedOut},
                          {"durationMs", r.durationMs},
                          {"invocationId", outcome.record.id},
                          {"stdoutTruncated", r.stdoutTruncated},
                          {"stderrTruncated", r.stderrTruncated}};
  if (!r.error.empty()) out["error"] = r.error;
  return out;
}

}  // namespace stratus::api
