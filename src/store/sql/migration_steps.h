// The part of applying migrations both backends share: refuse a schema newer than this
// binary, then run each pending step and record it. The caller holds the transaction (and
// on PostgreSQL the advisory lock) around it and has read the current version inside it.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "common/error.h"

namespace stratus::store::sql {

// Returns how many steps were applied; `connection` follows query.h, plus execute(sql).
template <class Connection>
Result<int> applyPendingSteps(Connection& connection, std::span<const char* const> all,
                              int current, int64_t now) {
  const int known = static_cast<int>(all.size());
  if (current > known) {
    return fail(ErrorKind::internal, "schema_too_new",
                "the database was written by a newer version of Stratus (schema " +
                    std::to_string(current) + ", this binary knows " + std::to_string(known) +
                    ")");
  }
  for (int version = current + 1; version <= known; ++version) {
    const std::string step = "apply migration " + std::to_string(version);
    if (auto applied = connection.execute(all[version - 1]); !applied) {
      return propagate(std::move(applied.error()), step);
    }
    auto record =
        connection.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)");
    if (!record) return propagate(std::move(record.error()), step);
    if (auto recorded = record->bindAll(version, now).run(); !recorded) {
      return propagate(std::move(recorded.error()), step);
    }
  }
  return known - current;
}

}  // namespace stratus::store::sql
