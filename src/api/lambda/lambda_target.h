// Which code and settings a Lambda call runs: $LATEST (the function as it is now), a
// published version (the snapshot), or an alias (its version, or for its weighted share of
// calls its additional version).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "store/metadata_store.h"

namespace stratus::api::lambda {

struct Target {
  // As it runs: for a published version, the function with the snapshot's code version and
  // settings; for $LATEST, the function unchanged.
  store::Function function;
  std::string version;  // "$LATEST" or the published version's number: X-Amz-Executed-Version
};

// The function as a published version runs it. Reserved concurrency and the executor stay
// the function's (they are not versioned, as on Lambda). updatedAt becomes the version's
// publication time, which keeps each version's warm instances apart in the pool.
store::Function asPublished(const store::Function& function, const store::PublishedVersion& version);

// "" or "$LATEST", a version number, or an alias name. `draw`, uniform in [0, 1), picks
// between an alias's two versions. Unknown versions and aliases are not_found.
Result<Target> resolveTarget(store::MetadataStore& store, const store::Function& function,
                             std::string_view qualifier, double draw);

// The version an alias sends a call to for a given draw.
std::string aliasVersionFor(const store::Alias& alias, double draw);
// A draw for resolveTarget: uniform in [0, 1), from a generator per thread.
double randomDraw();

}  // namespace stratus::api::lambda
