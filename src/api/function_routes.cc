// /api/v1/functions...: the documented REST API for functions.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/function_spec.h"
#include "api/invocation_insights.h"
#include "api/request_support.h"
#include "api/routes.h"
#include "common/clock.h"

namespace stratus::api {
namespace {

// The runtime and handler a code upload asks for (PUT .../code with `runtime` and/or
// `handler` fields), each checked as on create; nullopt when it asks for neither, or for
// what the function already has. Any other field is not this route's business and is
// ignored, as before.
Result<std::optional<store::CodeEntry>> codeEntryOf(const FunctionFields& fields,
                                                    const store::Function& f) {
  store::CodeEntry entry{f.runtime, f.handler};
  if (fields.runtime) {
    auto runtime = canonicalRuntime(*fields.runtime);
    if (!runtime) return std::unexpected(runtime.error());
    entry.runtime = *runtime;
  }
  if (fields.handler) {
    if (auto ok = validateHandler(*fields.handler); !ok) return std::unexpected(ok.error());
    entry.handler = *fields.handler;
  }
  if (entry.runtime == f.runtime && entry.handler == f.handler) return std::nullopt;
  return entry;
}

http::Response noContent() {
  http::Response response;
  response.status = 204;
  return response;
}

std::optional<store::FunctionVersion> currentVersion(ApiContext& context,
                                                     const store::Function& function) {
  auto version = context.store.functionVersion(function.id, function.currentVersion);
  if (!version) return std::nullopt;
  return *version;
}

http::Response functionResponse(ApiContext& context, const store::Function& function, int status) {
  return http::Response::json(
      status, boost::json::object{{"function", functionJson(function, currentVersion(context, function),
                                                            context.options.publicBaseUrl)}});
}

// ?include=stats (a comma-separated list: later additions need no new parameter). Names
// this server does not know are ignored, so a newer dashboard still gets an answer.
bool includes(const http::Request& request, std::string_view name) {
  auto list = request.queryValue("include");
  if (!list) return false;
  std::string_view rest = *list;
  while (true) {
    auto comma = rest.find(',');
    if (rest.substr(0, comma) == name) return true;
    if (comma == std::string_view::npos) return false;
    rest.remove_prefix(comma + 1);
  }
}

Result<std::vector<std::string>> invokeArgs(const http::Request& request) {
  auto body = parseJsonObject(request);
  if (!body) return std::unexpected(body.error());
  std::vector<std::string> args;
  if (auto* list = body->if_contains("args")) {
    if (!list->is_array()) return invalid("invalid_args", "args must be an array");
    for (const auto& arg : list->as_array()) {
      if (arg.is_string()) args.emplace_back(arg.as_string());
      else if (arg.is_number() || arg.is_bool()) args.push_back(boost::json::serialize(arg));
      else return invalid("invalid_args", "args must be strings or numbers");
    }
  }
  return args;
}

// Handler mode: the body is the event, any JSON value (empty means {}), and the answer is
// what the handler returned, as Lambda's Invoke gives it.
http::Response invokeHandler(ApiContext& context, http::Request& request, const store::Function& f) {
  std::string event = request.body.empty() ? std::string("{}") : request.body;
  boost::system::error_code ec;
  (void)boost::json::parse(event, ec);
  if (ec)
    return http::Response::error(
        400, "invalid_event", "the request body must be the event as JSON: " + ec.message());
  auto outcome = context.invoker.invokeHandler(f, std::move(event));
  if (!outcome) return http::Response::error(outcome.error());
  return handlerResponse(std::move(*outcome));
}

FunctionFields fieldsFromJson(const boost::json::object& body) {
  FunctionFields fields;
  auto text = [&](std::string_view key) -> std::optional<std::string> {
    auto* v = body.if_contains(key);
    if (!v) return std::nullopt;
    if (v->is_string()) return std::string(v->as_string());
    if (v->is_object()) return boost::json::serialize(*v);  // env
    return boost::json::serialize(*v);  // numbers and booleans are validated as text
  };
  fields.name = text("name");
  fields.description = text("description");
  fields.runtime = text("runtime");
  fields.handler = text("handler");
  fields.timeout = text("timeout");
  fields.memory = text("memory");
  fields.isPublic = text("public");
  fields.env = text("env");
  fields.mode = text("mode");
  fields.executor = text("executor");
  fields.prewarm = text("prewarm");
  // null is how JSON says "no limit": back to unreserved, the same as "".
  if (auto* v = body.if_contains("concurrency"); v && v->is_null()) fields.concurrency = "";
  else fields.concurrency = text("concurrency");
  return fields;
}

}  // namespace

void registerFunctionRoutes(http::Router& router, ApiContext& context) {
  router.add("POST", "/api/v1/functions", [&context](http::Request& request) {
    auto identity = authenticate(request, context);
    if (!identity) return http::Response::error(identity.error());
    auto created = createFromUpload(context, request, identity->user.id);
    if (!created) return http::Response::error(created.error());
    if (created->prewarm > 0) context.invoker.configurePrewarm(*created);
    return functionResponse(context, *created, 201);
  });

  router.add("GET", "/api/v1/functions", [&context](http::Request& request) {
    auto identity = authenticate(request, context);
    if (!identity) return http::Response::error(identity.error());
    auto functions = context.store.listFunctions(identity->user.id);
    if (!functions) return http::Response::error(functions.error());
    const bool withStats = includes(request, "stats");
    if (withStats) context.invoker.flushRecords();
    const int64_t now = nowMs();
    boost::json::array list;
    for (const auto& f : *functions) {
      auto json = functionJson(f, currentVersion(context, f), context.options.publicBaseUrl);
      if (withStats) {
        auto stats = functionStatsJson(context.store, f.id, now);
        if (!stats) return http::Response::error(stats.error());
        json["stats"] = std::move(*stats);
      }
      list.push_back(std::move(json));
    }
    return http::Response::json(200, boost::json::object{{"functions", std::move(list)}});
  });

  router.add("GET", "/api/v1/functions/{name}",
             withFunction(context, [&context](http::Request&, auto&, const store::Function& f) {
               return functionResponse(context, f, 200);
             }));

  router.add("PATCH", "/api/v1/functions/{name}",
             withFunction(context, [&context](http::Request& request, auto&,
                                              const store::Function& f) {
               auto body = parseJsonObject(request);
               if (!body) return http::Response::error(body.error());
               auto spec = validateFields(fieldsFromJson(*body));
               if (!spec) return http::Response::error(spec.error());
               auto updated = context.functions.updateConfig(f, *spec);
               if (!updated) return http::Response::error(updated.error());
               context.invoker.configurePrewarm(*updated);
               return functionResponse(context, *updated, 200);
             }));

  router.add("PUT", "/api/v1/functions/{name}/code",
             withFunction(context, [&context](http::Request& request, auto&,
                                              const store::Function& f) {
               auto upload = parseFunctionUpload(request, context.options.package.maxUploadBytes);
               if (!upload) return http::Response::error(upload.error());
               if (!upload->code)
                 return http::Response::error(400, "missing_file", "functionFile is required");
               auto entry = codeEntryOf(upload->fields, f);
               if (!entry) return http::Response::error(entry.error());
               auto updated = context.functions.updateCode(f, *upload->code, *entry);
               if (!updated) return http::Response::error(updated.error());
               context.invoker.warmCode(*updated);
               // The old version drains now (idle instances go, busy ones finish first); a
               // pre-warmed function gets its instances of the new one started.
               context.invoker.configurePrewarm(*updated);
               return functionResponse(context, *updated, 200);
             }));

  router.add("GET", "/api/v1/functions/{name}/versions",
             withFunction(context, [&context](http::Request&, auto&, const store::Function& f) {
               auto versions = context.store.listVersions(f.id);
               if (!versions) return http::Response::error(versions.error());
               boost::json::array list;
               for (const auto& v : *versions) list.push_back(versionJson(v));
               return http::Response::json(200, boost::json::object{{"versions", std::move(list)}});
             }));

  router.add("DELETE", "/api/v1/functions/{name}",
             withFunction(context, [&context](http::Request&, auto&, const store::Function& f) {
               if (auto ok = context.functions.remove(f); !ok) return http::Response::error(ok.error());
               context.invoker.forget(f.id);
               return noContent();
             }));

  router.add("POST", "/api/v1/functions/{name}/invoke",
             withFunction(context, [&context](http::Request& request, auto&,
                                              const store::Function& f) {
               if (f.mode == "handler") return invokeHandler(context, request, f);
               auto args = invokeArgs(request);
               if (!args) return http::Response::error(args.error());
               auto outcome = context.invoker.runScript(f, f.executor, std::move(*args));
               if (!outcome) return http::Response::error(outcome.error());
               auto response = http::Response::json(200, scriptResultJson(*outcome));
               setInvocationHeaders(response, outcome->record, outcome->facts);
               return response;
             }));
}

}  // namespace stratus::api
