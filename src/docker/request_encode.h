// Building requests: query strings, filters and the container-create body. Pure functions,
// unit-tested on their literal output.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "docker/types.h"

namespace stratus::docker {

using QueryParameters = std::vector<std::pair<std::string, std::string>>;

// RFC 3986 percent-encoding of everything but the unreserved characters.
std::string percentEncode(std::string_view text);
// "?a=1&b=x%20y", or "" for no parameters. Parameters keep their order and may repeat
// (the image import's `changes`).
std::string queryString(const QueryParameters& parameters);

// The `filters` parameter's JSON: {"label":["a=b"],"type":["container"]}. Empty filters
// give "" (callers then leave the parameter out).
std::string encodeFilters(const Filters& filters);

// The JSON body of POST /containers/create. Fails on values the daemon would misread: an
// environment name with "=", a bind path with ":" or a relative one, a tmpfs target that
// is not absolute.
Result<std::string> containerCreateBody(const ContainerSpec& spec);

// Dockerfile `LABEL` changes for an image import: `LABEL "key"="value"`, quoted so that
// spaces and "=" in values survive.
std::vector<std::string> labelChanges(const Labels& labels);

// Container ids, container names and image references end up in request paths: allow only
// what they can contain, so nothing can step to another endpoint ("../", "?", "#", "%").
enum class NameKind { container, image };
Status checkObjectName(std::string_view name, NameKind kind);

}  // namespace stratus::docker
