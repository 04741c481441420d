// The shared libraries a runtime's program loads, as the host's dynamic loader resolves
// them (ldd: the loader's own trace mode, so ld.so.cache, RUNPATH and the default paths
// are all honoured exactly as when the program runs). Only ever run on the host's own
// runtime binaries, never on a function's: ldd on a hostile ELF may run its code.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace stratus::nanos {

// Parses ldd's output: the host paths of the libraries, in the order listed, the loader
// included; the vDSO (no file) is skipped. A statically linked program gives none. A
// library ldd could not find is an error naming it (missing_library).
Result<std::vector<std::string>> parseLddOutput(std::string_view text);

// Runs ldd on each program and returns every library they load, each once, in
// first-seen order.
Result<std::vector<std::string>> sharedLibraries(const std::vector<std::string>& programs);

}  // namespace stratus::nanos
