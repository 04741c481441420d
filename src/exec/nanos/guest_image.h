// What a Nanos instance's disk holds, as a manifest (nanos/manifest.h): the runtime's
// interpreter with the shared libraries it loads (and, for Python, its standard library
// and the libraries of its lib-dynload modules), the bootstrap at /opt/stratus, the
// function's code at /var/task, and the environment the sandbox would give it, except that
// the Runtime API is reached through qemu's guest-forward address.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "common/error.h"
#include "exec/instance.h"
#include "nanos/manifest.h"

namespace stratus::exec::nanos {

// A runtime's files: guest path -> host path, and the interpreter.
struct RuntimeTree {
  std::string program;  // guest path, e.g. /usr/bin/python3
  std::map<std::string, std::string> files;
};

// Collects a built-in runtime's files from this host (runs ldd on its binaries).
// invalid_runtime for a runtime Nanos cannot run here ("provided" brings its own ELF, and
// the host has no safe way to learn what a hostile one loads).
Result<RuntimeTree> collectRuntime(const std::string& runtime);

// Python's standard library folders not worth a VM's disk: the test suite, IDLE, Tk,
// pip's bundled wheels, the static library.
bool skippedStdlibFolder(const std::string& name);

// The instance's manifest. Fails (invalid_code) when a file name of the code cannot be put
// in an image (not UTF-8). Symbolic links and special files in the code are left out.
Result<::stratus::nanos::Manifest> instanceManifest(const InstanceSpec& spec,
                                                    const RuntimeTree& runtime,
                                                    const std::filesystem::path& bootstrapDir);

}  // namespace stratus::exec::nanos
