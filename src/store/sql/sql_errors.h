// What a failed statement means to its caller, shared by every SQL backend so the store
// code above them (sql_store.h) reads the same on SQLite and PostgreSQL.
#pragma once

#include <string_view>

namespace stratus::store::sql {

// What a UNIQUE violation means to the caller of one statement ("email_taken"...).
// Primary-key collisions are always the generic "conflict": ids are generated, so a
// collision is a retry, not something to explain to a user.
struct UniqueConflict {
  std::string_view code = "conflict";
  std::string_view message = "the record already exists";
};

// What "no row" means to the caller of one query.
struct NotFound {
  const char* code;
  const char* message;
};

// The one message every backend gives when it cannot be reached: the details (host,
// driver message) go to the log through the error's context, never to the client.
inline constexpr std::string_view kUnavailableMessage = "the database is unavailable, try again";

}  // namespace stratus::store::sql
