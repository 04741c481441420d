// The checks behind `stratus doctor`, one per dependency, each a line of plain words: what
// was checked, what was found, and for a failure what to do about it.
#pragma once

#include <string>
#include <vector>

#include "app/serve_config.h"

namespace stratus::app {

struct Check {
  std::string name;    // "database", "blobs", ...
  bool ok = false;
  std::string detail;  // what was found, or what is wrong
  std::string hint;    // for a failure: what to change
};

std::vector<Check> runDoctor(const ServeConfig& config);

// "  ok    database   postgres://... schema 3 of 3" lines, then a summary line.
std::string formatChecks(const std::vector<Check>& checks);

}  // namespace stratus::app
