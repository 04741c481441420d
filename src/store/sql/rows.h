// Rows to model values, for any backend's Statement (text, int64, integer, boolean and
// their optional forms). Column order is the order of the SELECT lists in the sql_*.h
// files; each mapper sits next to nothing else so the two can be read side by side.
#pragma once

#include "common/error.h"
#include "store/env_json.h"
#include "store/model.h"

namespace stratus::store::sql {

inline constexpr auto userFromRow = [](const auto& row) -> Result<User> {
  return User{
      .id = row.text(0),
      .email = row.text(1),
      .name = row.text(2),
      .passwordHash = row.optionalText(3),
      .emailVerifiedAt = row.optionalInt64(4),
      .createdAt = row.int64(5),
  };
};

inline constexpr auto sessionFromRow = [](const auto& row) -> Result<Session> {
  return Session{
      .idHash = row.text(0),
      .userId = row.text(1),
      .createdAt = row.int64(2),
      .expiresAt = row.int64(3),
      .lastSeen = row.int64(4),
  };
};

inline constexpr auto apiKeyFromRow = [](const auto& row) -> Result<ApiKey> {
  return ApiKey{
      .id = row.text(0),
      .userId = row.text(1),
      .name = row.text(2),
      .hash = row.text(3),
      .prefix = row.text(4),
      .createdAt = row.int64(5),
      .lastUsedAt = row.optionalInt64(6),
      .revokedAt = row.optionalInt64(7),
      .sealedSecret = row.optionalText(8),
  };
};

inline constexpr auto tokenFromRow = [](const auto& row) -> Result<OneTimeToken> {
  return OneTimeToken{
      .hash = row.text(0),
      .userId = row.text(1),
      .kind = row.text(2),
      .createdAt = row.int64(3),
      .expiresAt = row.int64(4),
      .usedAt = row.optionalInt64(5),
  };
};

inline constexpr auto linkFromRow = [](const auto& row) -> Result<LinkedAccount> {
  return LinkedAccount{
      .provider = row.text(0),
      .providerAccountId = row.text(1),
      .userId = row.text(2),
      .createdAt = row.int64(3),
  };
};

inline constexpr auto functionFromRow = [](const auto& row) -> Result<Function> {
  auto env = decodeEnv(row.text(10));
  if (!env) return propagate(std::move(env.error()), "read function " + row.text(0));
  return Function{
      .id = row.text(0),
      .userId = row.text(1),
      .name = row.text(2),
      .description = row.text(3),
      .runtime = row.text(4),
      .handler = row.text(5),
      .mode = row.text(6),
      .executor = row.text(7),
      .timeoutS = row.integer(8),
      .memoryMb = row.integer(9),
      .env = std::move(*env),
      .isPublic = row.boolean(11),
      .concurrencyLimit = row.optionalInt(12),
      .prewarm = row.integer(13),
      .currentVersion = row.integer(14),
      .createdAt = row.int64(15),
      .updatedAt = row.int64(16),
  };
};

inline constexpr auto versionFromRow = [](const auto& row) -> Result<FunctionVersion> {
  return FunctionVersion{
      .functionId = row.text(0),
      .version = row.integer(1),
      .codeSha256 = row.text(2),
      .codeSize = row.int64(3),
      .blobKey = row.text(4),
      .createdAt = row.int64(5),
  };
};

inline constexpr auto publishedFromRow = [](const auto& row) -> Result<PublishedVersion> {
  auto env = decodeEnv(row.text(8));
  if (!env) return propagate(std::move(env.error()), "read published version of " + row.text(0));
  return PublishedVersion{
      .functionId = row.text(0),
      .version = row.integer(1),
      .codeVersion = row.integer(2),
      .description = row.text(3),
      .runtime = row.text(4),
      .handler = row.text(5),
      .timeoutS = row.integer(6),
      .memoryMb = row.integer(7),
      .env = std::move(*env),
      .createdAt = row.int64(9),
  };
};

inline constexpr auto aliasFromRow = [](const auto& row) -> Result<Alias> {
  return Alias{
      .functionId = row.text(0),
      .name = row.text(1),
      .functionVersion = row.text(2),
      .description = row.text(3),
      .additionalVersion = row.optionalText(4),
      .additionalWeightPpm = row.integer(5),
      .revisionId = row.text(6),
      .createdAt = row.int64(7),
      .updatedAt = row.int64(8),
  };
};

inline constexpr auto urlFromRow = [](const auto& row) -> Result<FunctionUrl> {
  return FunctionUrl{
      .id = row.text(0),
      .functionId = row.text(1),
      .userId = row.text(2),
      .qualifier = row.text(3),
      .authType = row.text(4),
      .cors = row.text(5),
      .createdAt = row.int64(6),
      .updatedAt = row.int64(7),
  };
};

inline constexpr auto invocationFromRow = [](const auto& row) -> Result<Invocation> {
  return Invocation{
      .id = row.text(0),
      .functionId = row.text(1),
      .version = row.integer(2),
      .executor = row.text(3),
      .startedAt = row.int64(4),
      .durationMs = row.int64(5),
      .status = row.text(6),
      .exitCode = row.integer(7),
      .timedOut = row.boolean(8),
      .coldStart = row.boolean(9),
      .initDurationMs = row.int64(10),
      .memoryUsed = row.int64(11),
      .error = row.text(12),
      .logExcerpt = row.text(13),
  };
};

inline constexpr auto invocationSampleFromRow = [](const auto& row) -> Result<InvocationSample> {
  return InvocationSample{.startedAt = row.int64(0), .durationMs = row.int64(1), .status = row.text(2)};
};

inline constexpr auto firstInteger = [](const auto& row) -> Result<int> { return row.integer(0); };
inline constexpr auto firstText = [](const auto& row) -> Result<std::string> {
  return row.text(0);
};

}  // namespace stratus::store::sql
