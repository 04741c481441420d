// What `stratus migrate` reports, whichever database it ran on.
#pragma once

namespace stratus::store {

struct MigrationReport {
  int before = 0;   // schema version found
  int applied = 0;  // migrations applied now (0 on a dry run)
  int latest = 0;   // the version this binary knows
};

}  // namespace stratus::store
