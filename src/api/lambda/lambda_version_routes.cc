// PublishVersion, ListVersionsByFunction and the alias operations (CreateAlias, GetAlias,
// UpdateAlias, DeleteAlias, ListAliases) with weighted routing between two versions.
#include <boost/json.hpp>
#include <cmath>

#include "api/lambda/lambda_names.h"
#include "api/lambda/lambda_routes.h"
#include "api/lambda/lambda_shapes.h"
#include "api/lambda/lambda_target.h"
#include "common/clock.h"
#include "common/crypto.h"

namespace stratus::api::lambda {
namespace json = boost::json;
namespace {

bool sameSettings(const store::PublishedVersion& version, const store::Function& function) {
  return version.codeVersion == function.currentVersion && version.runtime == function.runtime &&
         version.handler == function.handler && version.timeoutS == function.timeoutS &&
         version.memoryMb == function.memoryMb && version.env == function.env;
}

// "$LATEST" or a version that exists; an alias must point at something that runs.
Status checkVersionExists(ApiContext& context, const store::Function& function,
                          const std::string& version) {
  if (version == kLatest) return {};
  auto number = versionNumber(version);
  if (!number)
    return invalid("invalid_function_version",
                   "FunctionVersion must be $LATEST or a published version number");
  auto published = context.store.publishedVersion(function.id, *number);
  if (!published) {
    if (published.error().kind == ErrorKind::not_found)
      return fail(ErrorKind::not_found, "version_not_found",
                  "Function not found: " + functionArn(function.userId, function.name, version));
    return std::unexpected(published.error());
  }
  return {};
}

// RoutingConfig.AdditionalVersionWeights: at most one other published version, with a
// weight in [0, 1]. Lambda refuses $LATEST there, and so does Stratus.
Status applyRouting(ApiContext& context, const store::Function& function,
                    const json::object& body, store::Alias& alias) {
  const auto* routing = body.if_contains("RoutingConfig");
  if (!routing || routing->is_null()) return {};
  if (!routing->is_object()) return invalid("invalid_routing_config", "RoutingConfig must be an object");
  alias.additionalVersion.reset();
  alias.additionalWeightPpm = 0;
  const auto* weights = routing->as_object().if_contains("AdditionalVersionWeights");
  if (!weights || weights->is_null()) return {};
  if (!weights->is_object())
    return invalid("invalid_routing_config", "AdditionalVersionWeights must be an object");
  const auto& map = weights->as_object();
  if (map.size() > 1)
    return invalid("invalid_routing_config",
                   "AdditionalVersionWeights may name one version (routing is between two)");
  for (const auto& [version, weight] : map) {
    if (!weight.is_number())
      return invalid("invalid_routing_config", "a version's weight must be a number");
    const double share = weight.to_number<double>();
    if (!(share >= 0.0 && share <= 1.0))
      return invalid("invalid_routing_config", "a version's weight must be between 0 and 1");
    const std::string name(version);
    if (!versionNumber(name))
      return invalid("invalid_routing_config",
                     "AdditionalVersionWeights must name a published version, not " +
                         name.substr(0, 64));
    if (name == alias.functionVersion)
      return invalid("invalid_routing_config",
                     "the additional version must differ from the alias's FunctionVersion");
    if (alias.functionVersion == kLatest)
      return invalid("invalid_routing_config",
                     "weighted routing needs the alias to point at a published version");
    if (auto ok = checkVersionExists(context, function, name); !ok) return ok;
    alias.additionalVersion = name;
    alias.additionalWeightPpm = static_cast<int>(std::lround(share * 1e6));
  }
  return {};
}

Result<http::Response> publishVersion(ApiContext& context, FunctionCall& call) {
  auto body = jsonBody(call.request);
  if (!body) return std::unexpected(body.error());
  auto description = optionalString(*body, "Description");
  if (!description) return std::unexpected(description.error());
  auto sha = optionalString(*body, "CodeSha256");
  if (!sha) return std::unexpected(sha.error());
  auto config = configurationOf(context, call.function, std::string(kLatest));
  if (!config) return std::unexpected(config.error());
  // The caller's guard against publishing code other than what it last uploaded.
  if (*sha && config->at("CodeSha256").as_string() != **sha)
    return fail(ErrorKind::conflict, "revision_mismatch",
                "CodeSha256 does not match the function's current code");
  auto published = publishLatest(context, call.function, description->value_or(""));
  if (!published) return std::unexpected(published.error());
  auto answer = configurationOf(context, asPublished(call.function, *published),
                                std::to_string(published->version));
  if (!answer) return std::unexpected(answer.error());
  return jsonResponse(201, *answer);
}

Result<http::Response> listVersions(ApiContext& context, FunctionCall& call) {
  auto published = context.store.listPublishedVersions(call.function.id);
  if (!published) return std::unexpected(published.error());
  std::vector<std::pair<std::string, store::Function>> all{{std::string(kLatest), call.function}};
  for (const auto& version : *published)
    all.emplace_back(std::to_string(version.version), asPublished(call.function, version));
  auto page = paginate(call.request, std::move(all), [](const auto& entry) { return entry.first; });
  if (!page) return std::unexpected(page.error());
  json::array list;
  for (const auto& [version, function] : page->first) {
    auto config = configurationOf(context, function, version);
    if (!config) return std::unexpected(config.error());
    list.push_back(std::move(*config));
  }
  json::object out{{"Versions", std::move(list)}};
  if (!page->second.empty()) out["NextMarker"] = page->second;
  return jsonResponse(200, out);
}

Result<http::Response> createAlias(ApiContext& context, FunctionCall& call) {
  auto body = jsonBody(call.request);
  if (!body) return std::unexpected(body.error());
  store::Alias alias;
  alias.functionId = call.function.id;
  auto name = optionalString(*body, "Name");
  if (!name) return std::unexpected(name.error());
  if (!*name) return invalid("invalid_alias_name", "Name is required");
  if (auto ok = validateAliasName(**name); !ok) return std::unexpected(ok.error());
  alias.name = **name;
  auto version = optionalString(*body, "FunctionVersion");
  if (!version) return std::unexpected(version.error());
  if (!*version) return invalid("invalid_function_version", "FunctionVersion is required");
  alias.functionVersion = **version;
  if (auto ok = checkVersionExists(context, call.function, alias.functionVersion); !ok)
    return std::unexpected(ok.error());
  auto description = optionalString(*body, "Description");
  if (!description) return std::unexpected(description.error());
  alias.description = description->value_or("");
  if (alias.description.size() > 256)
    return invalid("invalid_description", "Description must be at most 256 characters");
  if (auto ok = applyRouting(context, call.function, *body, alias); !ok)
    return std::unexpected(ok.error());
  alias.createdAt = alias.updatedAt = nowMs();
  alias.revisionId = randomHex(16);
  if (auto ok = context.store.createAlias(alias); !ok) {
    if (ok.error().kind == ErrorKind::conflict)
      return fail(ErrorKind::conflict, "alias_exists", "Alias already exists: " +
                                                           functionArn(call.function.userId,
                                                                       call.function.name,
                                                                       alias.name));
    return std::unexpected(ok.error());
  }
  return jsonResponse(201, aliasConfiguration(alias, call.function));
}

Result<store::Alias> findAlias(ApiContext& context, FunctionCall& call) {
  const std::string name = call.request.params["alias"];
  if (auto ok = validateAliasName(name); !ok) return std::unexpected(ok.error());
  auto alias = context.store.alias(call.function.id, name);
  if (!alias && alias.error().kind == ErrorKind::not_found)
    return fail(ErrorKind::not_found, "alias_not_found",
                "Alias not found: " + functionArn(call.function.userId, call.function.name, name));
  return alias;
}

Result<http::Response> updateAlias(ApiContext& context, FunctionCall& call) {
  auto alias = findAlias(context, call);
  if (!alias) return std::unexpected(alias.error());
  auto body = jsonBody(call.request);
  if (!body) return std::unexpected(body.error());
  auto revision = optionalString(*body, "RevisionId");
  if (!revision) return std::unexpected(revision.error());
  if (*revision && **revision != alias->revisionId)
    return fail(ErrorKind::conflict, "revision_mismatch",
                "The Revision Id provided does not match the alias's latest Revision Id");
  auto version = optionalString(*body, "FunctionVersion");
  if (!version) return std::unexpected(version.error());
  if (*version) {
    if (auto ok = checkVersionExists(context, call.function, **version); !ok)
      return std::unexpected(ok.error());
    alias->functionVersion = **version;
  }
  auto description = optionalString(*body, "Description");
  if (!description) return std::unexpected(description.error());
  if (*description) alias->description = **description;
  if (auto ok = applyRouting(context, call.function, *body, *alias); !ok)
    return std::unexpected(ok.error());
  if (alias->additionalVersion && *alias->additionalVersion == alias->functionVersion)
    return invalid("invalid_routing_config",
                   "the additional version must differ from the alias's FunctionVersion");
  alias->updatedAt = nowMs();
  alias->revisionId = randomHex(16);
  if (auto ok = context.store.updateAlias(*alias); !ok) return std::unexpected(ok.error());
  return jsonResponse(200, aliasConfiguration(*alias, call.function));
}

Result<http::Response> listAliases(ApiContext& context, FunctionCall& call) {
  auto aliases = context.store.listAliases(call.function.id);
  if (!aliases) return std::unexpected(aliases.error());
  if (auto only = call.request.queryValue("FunctionVersion"); only && !only->empty())
    std::erase_if(*aliases, [&](const store::Alias& a) {
      return a.functionVersion != *only && a.additionalVersion != std::string(*only);
    });
  auto page = paginate(call.request, std::move(*aliases),
                       [](const store::Alias& a) { return a.name; });
  if (!page) return std::unexpected(page.error());
  json::array list;
  for (const auto& alias : page->first) list.push_back(aliasConfiguration(alias, call.function));
  json::object out{{"Aliases", std::move(list)}};
  if (!page->second.empty()) out["NextMarker"] = page->second;
  return jsonResponse(200, out);
}

}  // namespace

Result<store::PublishedVersion> publishLatest(ApiContext& context, const store::Function& function,
                                              const std::string& description) {
  if (description.size() > 256)
    return invalid("invalid_description", "Description must be at most 256 characters");
  auto existing = context.store.listPublishedVersions(function.id);
  if (!existing) return std::unexpected(existing.error());
  if (!existing->empty() && sameSettings(existing->back(), function)) return existing->back();
  store::PublishedVersion snapshot{
      .functionId = function.id,
      .codeVersion = function.currentVersion,
      .description = description.empty() ? function.description : description,
      .runtime = function.runtime,
      .handler = function.handler,
      .timeoutS = function.timeoutS,
      .memoryMb = function.memoryMb,
      .env = function.env,
      .createdAt = nowMs(),
  };
  return context.store.publishVersion(snapshot);
}

void registerVersionRoutes(http::Router& router, ApiContext& context) {
  const std::string base = "/2015-03-31/functions/{name}";
  router.add("POST", base + "/versions", functionRoute(context, [&context](FunctionCall& call) {
               return publishVersion(context, call);
             }));
  router.add("GET", base + "/versions", functionRoute(context, [&context](FunctionCall& call) {
               return listVersions(context, call);
             }));
  router.add("POST", base + "/aliases", functionRoute(context, [&context](FunctionCall& call) {
               return createAlias(context, call);
             }));
  router.add("GET", base + "/aliases", functionRoute(context, [&context](FunctionCall& call) {
               return listAliases(context, call);
             }));
  router.add("GET", base + "/aliases/{alias}",
             functionRoute(context, [&context](FunctionCall& call) -> Result<http::Response> {
               auto alias = findAlias(context, call);
               if (!alias) return std::unexpected(alias.error());
               return jsonResponse(200, aliasConfiguration(*alias, call.function));
             }));
  router.add("PUT", base + "/aliases/{alias}",
             functionRoute(context, [&context](FunctionCall& call) {
               return updateAlias(context, call);
             }));
  router.add("DELETE", base + "/aliases/{alias}",
             functionRoute(context, [&context](FunctionCall& call) -> Result<http::Response> {
               auto alias = findAlias(context, call);
               if (!alias) return std::unexpected(alias.error());
               if (auto ok = context.store.deleteAlias(call.function.id, alias->name); !ok)
                 return std::unexpected(ok.error());
               return noContent();
             }));
}

}  // namespace stratus::api::lambda
