// Pure translations between Lambda's names and Stratus's: how a function is named in a
// request path (name, ARN, partial ARN, name:qualifier), ARNs, runtime spellings, and the
// timestamp and digest formats Lambda reports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace stratus::api::lambda {

inline constexpr std::string_view kLatest = "$LATEST";
// The region in every ARN Stratus gives out: a server is one region, whatever region the
// SDK was configured with (the same one the Runtime API gives functions).
inline constexpr std::string_view kRegion = "local";

struct FunctionRef {
  std::string name;
  std::string qualifier;  // "" when none was given
};

// "my-fn", "my-fn:prod", "arn:aws:lambda:REGION:ACCOUNT:function:my-fn[:prod]" or
// "ACCOUNT:function:my-fn[:prod]". The account of an ARN must be the caller's (their user
// id) or the function is not_found, as it would be on AWS for another account's function.
Result<FunctionRef> parseFunctionRef(std::string_view text, std::string_view accountId);

// Where both a name suffix and ?Qualifier= are given they must agree (as on Lambda).
Result<std::string> combineQualifier(const FunctionRef& ref, std::optional<std::string_view> query);

// "$LATEST", a version number ("1".."99999999") or an alias name; else invalid_qualifier.
Status validateQualifier(std::string_view qualifier);
// Alias names: 1-128 of [A-Za-z0-9_-], not all digits (those are version numbers).
Status validateAliasName(std::string_view name);
// A published version number given as text ("3"); nullopt when it is not one.
std::optional<int> versionNumber(std::string_view text);

std::string functionArn(std::string_view accountId, std::string_view name,
                        std::string_view qualifier = {});

// AWS's spelling to Stratus's runtime: python3.11, nodejs20.x, provided.al2023,
// provided.al2 (and provided); anything else is invalid_runtime naming those.
Result<std::string> stratusRuntime(std::string_view awsRuntime);
// Stratus's runtime as Lambda spells it: nodejs20 -> nodejs20.x, provided -> provided.al2023.
std::string awsRuntime(std::string_view stratusRuntime);

// Lambda's LastModified: "2026-11-29T09:48:16.123+0000".
std::string lambdaTimestamp(int64_t unixMs);
// Lambda reports CodeSha256 as the base64 of the raw digest; Stratus stores hex.
std::string base64Sha256(std::string_view hexDigest);
// Standard base64 (with padding), as Lambda's JSON carries zip files and log tails.
std::string base64Encode(std::string_view bytes);
// invalid_argument naming `what` when the text is not standard base64.
Result<std::string> base64Decode(std::string_view text, std::string_view what);

}  // namespace stratus::api::lambda
