// The manifest Nanos's mkfs turns into a disk image: the file tree, the program, its
// arguments and environment, and kernel settings, in Nanos's tuple syntax (`(key:value
// ...)`, vectors `[a b]`). Pure: rendered from a Manifest value, unit-tested on literals.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"

namespace stratus::nanos {

struct Manifest {
  std::string program;                 // guest path of the ELF the kernel starts
  std::vector<std::string> arguments;  // argv, argv[0] included, in order
  std::vector<std::pair<std::string, std::string>> environment;
  std::map<std::string, std::string> files;  // guest path -> host path of its contents
  std::set<std::string> directories;         // guest folders that must exist, even empty
  // Root settings beside program/arguments/environment/children: debug_exit, ipaddr...
  std::vector<std::pair<std::string, std::string>> settings;
};

// A value as the manifest parser reads it back unchanged: always quoted, with `"` and `\`
// escaped. Quoting every value (and name) means no character of a file name can end a
// tuple or start a new key.
std::string quote(std::string_view value);

// The manifest's text. Refused (invalid_manifest): a guest path that is not absolute or
// has an empty, "." or ".." part; a path that is both a file and a folder; text that is
// not UTF-8 or holds a NUL; a program that is not one of the files.
Result<std::string> renderManifest(const Manifest& manifest);

}  // namespace stratus::nanos
