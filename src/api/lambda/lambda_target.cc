#include "api/lambda/lambda_target.h"

#include <random>

#include "api/lambda/lambda_names.h"

namespace stratus::api::lambda {
namespace {

Result<Target> versionTarget(store::MetadataStore& store, const store::Function& function,
                             const std::string& version) {
  if (version.empty() || version == kLatest) return Target{function, std::string(kLatest)};
  auto number = versionNumber(version);
  if (!number)
    return fail(ErrorKind::not_found, "version_not_found",
                "Function not found: " + functionArn(function.userId, function.name, version));
  auto published = store.publishedVersion(function.id, *number);
  if (!published) {
    if (published.error().kind == ErrorKind::not_found)
      return fail(ErrorKind::not_found, "version_not_found",
                  "Function not found: " + functionArn(function.userId, function.name, version));
    return std::unexpected(published.error());
  }
  return Target{asPublished(function, *published), version};
}

}  // namespace

store::Function asPublished(const store::Function& function,
                            const store::PublishedVersion& version) {
  store::Function snapshot = function;
  snapshot.description = version.description;
  snapshot.runtime = version.runtime;
  snapshot.handler = version.handler;
  snapshot.timeoutS = version.timeoutS;
  snapshot.memoryMb = version.memoryMb;
  snapshot.env = version.env;
  snapshot.mode = "handler";
  snapshot.prewarm = 0;
  snapshot.currentVersion = version.codeVersion;
  snapshot.updatedAt = version.createdAt;
  return snapshot;
}

double randomDraw() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

std::string aliasVersionFor(const store::Alias& alias, double draw) {
  if (alias.additionalVersion && draw * 1'000'000 < alias.additionalWeightPpm)
    return *alias.additionalVersion;
  return alias.functionVersion;
}

Result<Target> resolveTarget(store::MetadataStore& store, const store::Function& function,
                             std::string_view qualifier, double draw) {
  std::string wanted(qualifier);
  if (wanted.empty() || wanted == kLatest || versionNumber(wanted))
    return versionTarget(store, function, wanted);
  auto alias = store.alias(function.id, wanted);
  if (!alias) {
    if (alias.error().kind == ErrorKind::not_found)
      return fail(ErrorKind::not_found, "alias_not_found",
                  "Function not found: " + functionArn(function.userId, function.name, wanted));
    return std::unexpected(alias.error());
  }
  return versionTarget(store, function, aliasVersionFor(*alias, draw));
}

}  // namespace stratus::api::lambda
