// CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions,
// UpdateFunctionConfiguration, UpdateFunctionCode, DeleteFunction and the reserved
// concurrency operations, on top of FunctionService (so the same rules and the same
// blob-first writes apply as for the v1 API).
#include <boost/json.hpp>

#include "api/lambda/lambda_errors.h"
#include "api/lambda/lambda_names.h"
#include "api/lambda/lambda_routes.h"
#include "api/lambda/lambda_shapes.h"
#include "api/lambda/lambda_target.h"

namespace stratus::api::lambda {
namespace json = boost::json;
namespace {

// Lambda's optimistic locking: an update naming a RevisionId applies only to that revision.
Status checkRevision(const json::object& body, const store::Function& function) {
  auto revision = optionalString(body, "RevisionId");
  if (!revision) return std::unexpected(revision.error());
  if (*revision && **revision != revisionOf(function))
    return fail(ErrorKind::conflict, "revision_mismatch",
                "The Revision Id provided does not match the latest Revision Id. Call the "
                "GetFunction/GetAlias API to retrieve the latest Revision Id");
  return {};
}

Status noQualifier(const FunctionCall& call, std::string_view operation) {
  if (!call.qualifier.empty() && call.qualifier != kLatest)
    return invalid("invalid_qualifier", std::string(operation) +
                                            " applies to the function, not to a version or alias");
  return {};
}

// After any change: code unpacked ahead of the first call, old instances drained.
void afterChange(ApiContext& context, const store::Function& function) {
  context.invoker.warmCode(function);
  context.invoker.configurePrewarm(function);
}

json::object concurrencyJson(const store::Function& function) {
  json::object out;
  if (function.concurrencyLimit) out["ReservedConcurrentExecutions"] = *function.concurrencyLimit;
  return out;
}

Result<http::Response> createFunction(ApiContext& context, Call& call) {
  auto body = jsonBody(call.request);
  if (!body) return std::unexpected(body.error());
  auto parsed = parseCreateFunction(*body);
  if (!parsed) return std::unexpected(parsed.error());
  auto created = context.functions.create(call.identity.user.id, parsed->spec, parsed->code);
  if (!created) {
    if (created.error().kind == ErrorKind::conflict)
      return fail(ErrorKind::conflict, "function_exists",
                  "Function already exist: " + *parsed->spec.name);
    return std::unexpected(created.error());
  }
  afterChange(context, *created);
  std::string version(kLatest);
  if (parsed->publish) {
    auto published = publishLatest(context, *created, "");
    if (!published) return std::unexpected(published.error());
    version = std::to_string(published->version);
  }
  auto config = configurationOf(context, *created, version);
  if (!config) return std::unexpected(config.error());
  return jsonResponse(201, *config);
}

Result<http::Response> listFunctions(ApiContext& context, Call& call) {
  auto functions = context.store.listFunctions(call.identity.user.id);
  if (!functions) return std::unexpected(functions.error());
  auto page = paginate(call.request, std::move(*functions),
                       [](const store::Function& f) { return f.name; });
  if (!page) return std::unexpected(page.error());
  json::array list;
  for (const auto& function : page->first) {
    auto config = configurationOf(context, function, std::string(kLatest));
    if (!config) return std::unexpected(config.error());
    list.push_back(std::move(*config));
  }
  json::object out{{"Functions", std::move(list)}};
  if (!page->second.empty()) out["NextMarker"] = page->second;
  return jsonResponse(200, out);
}

Result<http::Response> getFunction(ApiContext& context, FunctionCall& call, bool whole) {
  auto target = resolveTarget(context.store, call.function, call.qualifier, 0.0);
  if (!target) return std::unexpected(target.error());
  auto config = configurationOf(context, target->function, target->version);
  if (!config) return std::unexpected(config.error());
  if (!whole) return jsonResponse(200, *config);
  json::object out{{"Configuration", std::move(*config)},
                   // The code is not downloadable through this API (docs/aws-compat.md).
                   {"Code", json::object{{"RepositoryType", "S3"}, {"Location", ""}}},
                   {"Tags", json::object{}}};
  if (call.function.concurrencyLimit) out["Concurrency"] = concurrencyJson(call.function);
  return jsonResponse(200, out);
}

Result<http::Response> updateConfiguration(ApiContext& context, FunctionCall& call) {
  if (auto ok = noQualifier(call, "UpdateFunctionConfiguration"); !ok)
    return std::unexpected(ok.error());
  auto body = jsonBody(call.request);
  if (!body) return std::unexpected(body.error());
  if (auto ok = checkRevision(*body, call.function); !ok) return std::unexpected(ok.error());
  auto spec = parseConfigurationUpdate(*body);
  if (!spec) return std::unexpected(spec.error());
  auto updated = context.functions.updateConfig(call.function, *spec);
  if (!updated) return std::unexpected(updated.error());
  afterChange(context, *updated);
  auto config = configurationOf(context, *updated, std::string(kLatest));
  if (!config) return std::unexpected(config.error());
  return jsonResponse(200, *config);
}

Result<http::Response> updateCode(ApiContext& context, FunctionCall& call) {
  if (auto ok = noQualifier(call, "UpdateFunctionCode"); !ok) return std::unexpected(ok.error());
  auto body = jsonBody(call.request);
  if (!body) return std::unexpected(body.error());
  if (auto ok = checkRevision(*body, call.function); !ok) return std::unexpected(ok.error());
  auto update = parseCodeUpdate(*body);
  if (!update) return std::unexpected(update.error());
  auto updated = context.functions.updateCode(call.function, update->code);
  if (!updated) return std::unexpected(updated.error());
  afterChange(context, *updated);
  std::string version(kLatest);
  if (update->publish) {
    auto published = publishLatest(context, *updated, "");
    if (!published) return std::unexpected(published.error());
    version = std::to_string(published->version);
  }
  auto config = configurationOf(context, *updated, version);
  if (!config) return std::unexpected(config.error());
  return jsonResponse(200, *config);
}

Result<http::Response> deleteFunction(ApiContext& context, FunctionCall& call) {
  if (!call.qualifier.empty() && call.qualifier != kLatest)
    return invalid("unsupported_parameter",
                   "deleting one version of a function is not supported by Stratus; delete the "
                   "function without a Qualifier");
  if (auto ok = context.functions.remove(call.function); !ok) return std::unexpected(ok.error());
  context.invoker.forget(call.function.id);
  return noContent();
}

Result<http::Response> putConcurrency(ApiContext& context, FunctionCall& call) {
  if (auto ok = noQualifier(call, "PutFunctionConcurrency"); !ok) return std::unexpected(ok.error());
  auto body = jsonBody(call.request);
  if (!body) return std::unexpected(body.error());
  auto reserved = optionalInteger(*body, "ReservedConcurrentExecutions");
  if (!reserved) return std::unexpected(reserved.error());
  // 0 is Lambda's switch that throttles every call; Stratus's own API starts at 1.
  if (!*reserved || **reserved < 0 || **reserved > kMaxConcurrency)
    return invalid("invalid_concurrency", "ReservedConcurrentExecutions must be 0 to " +
                                              std::to_string(kMaxConcurrency));
  FunctionSpec spec;
  spec.concurrency.emplace(static_cast<int>(**reserved));
  auto updated = context.functions.updateConfig(call.function, spec);
  if (!updated) return std::unexpected(updated.error());
  context.invoker.configurePrewarm(*updated);
  return jsonResponse(200, concurrencyJson(*updated));
}

Result<http::Response> deleteConcurrency(ApiContext& context, FunctionCall& call) {
  if (auto ok = noQualifier(call, "DeleteFunctionConcurrency"); !ok)
    return std::unexpected(ok.error());
  FunctionSpec spec;
  spec.concurrency.emplace(std::nullopt);  // given, and cleared: unreserved again
  auto updated = context.functions.updateConfig(call.function, spec);
  if (!updated) return std::unexpected(updated.error());
  context.invoker.configurePrewarm(*updated);
  return noContent();
}

}  // namespace

Result<boost::json::object> configurationOf(ApiContext& context, const store::Function& function,
                                            const std::string& version) {
  auto code = context.store.functionVersion(function.id, function.currentVersion);
  if (!code) return std::unexpected(code.error());
  return functionConfiguration(function, *code, version);
}

void registerFunctionRoutes(http::Router& router, ApiContext& context) {
  const std::string base = "/2015-03-31/functions";
  router.add("POST", base, signedRoute(context, [&context](Call& call) {
               return createFunction(context, call);
             }));
  router.add("GET", base, signedRoute(context, [&context](Call& call) {
               return listFunctions(context, call);
             }));
  router.add("GET", base + "/{name}", functionRoute(context, [&context](FunctionCall& call) {
               return getFunction(context, call, true);
             }));
  router.add("GET", base + "/{name}/configuration",
             functionRoute(context, [&context](FunctionCall& call) {
               return getFunction(context, call, false);
             }));
  router.add("PUT", base + "/{name}/configuration",
             functionRoute(context, [&context](FunctionCall& call) {
               return updateConfiguration(context, call);
             }));
  router.add("PUT", base + "/{name}/code", functionRoute(context, [&context](FunctionCall& call) {
               return updateCode(context, call);
             }));
  router.add("DELETE", base + "/{name}", functionRoute(context, [&context](FunctionCall& call) {
               return deleteFunction(context, call);
             }));
  router.add("PUT", "/2017-10-31/functions/{name}/concurrency",
             functionRoute(context, [&context](FunctionCall& call) {
               return putConcurrency(context, call);
             }));
  router.add("DELETE", "/2017-10-31/functions/{name}/concurrency",
             functionRoute(context, [&context](FunctionCall& call) {
               return deleteConcurrency(context, call);
             }));
  router.add("GET", "/2019-09-30/functions/{name}/concurrency",
             functionRoute(context, [](FunctionCall& call) -> Result<http::Response> {
               return jsonResponse(200, concurrencyJson(call.function));
             }));
}

}  // namespace stratus::api::lambda
