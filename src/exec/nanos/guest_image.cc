#include "exec/nanos/guest_image.h"

#include "common/utf8.h"
#include "exec/instance_env.h"
#include "exec/runtime_instance.h"
#include "nanos/ldd.h"
#include "nanos/qemu.h"

namespace stratus::exec::nanos {
namespace fs = std::filesystem;
using ::stratus::nanos::Manifest;

namespace {

constexpr const char* kPythonStdlib = "/usr/lib/python3.11";

// Adds every regular file under `host` at the same place under `guest`; folders for which
// `skip` says so are left out.
template <class Skip>
Status addTree(std::map<std::string, std::string>& files, const fs::path& host,
               const std::string& guest, Skip skip) {
  std::error_code ec;
  fs::recursive_directory_iterator it(host, fs::directory_options::none, ec), end;
  if (ec) return sysError("read " + host.string(), ec.value());
  for (; it != end; it.increment(ec)) {
    if (ec) return sysError("read " + host.string(), ec.value());
    const auto& entry = *it;
    auto status = entry.symlink_status(ec);
    if (fs::is_directory(status)) {
      if (skip(entry.path().filename().string())) it.disable_recursion_pending();
      continue;
    }
    if (!fs::is_regular_file(status)) continue;
    files[guest + "/" + entry.path().lexically_relative(host).string()] = entry.path().string();
  }
  return {};
}

}  // namespace

bool skippedStdlibFolder(const std::string& name) {
  return name == "test" || name == "tests" || name == "idlelib" || name == "tkinter" ||
         name == "turtledemo" || name == "ensurepip" || name.starts_with("config-3");
}

Result<RuntimeTree> collectRuntime(const std::string& runtime) {
  RuntimeTree tree;
  std::vector<std::string> binaries;
  if (runtime == "python3.11") {
    tree.program = "/usr/bin/python3";
    binaries.push_back(tree.program);
    if (auto added = addTree(tree.files, kPythonStdlib, kPythonStdlib, skippedStdlibFolder); !added)
      return propagate(added.error(), "python's standard library");
    // The extension modules load libraries of their own (libssl, libffi, libsqlite3...).
    for (const auto& [guest, host] : tree.files)
      if (guest.find("/lib-dynload/") != std::string::npos && guest.ends_with(".so"))
        binaries.push_back(host);
  } else if (runtime == "nodejs20") {
    tree.program = "/usr/bin/node";
    binaries.push_back(tree.program);
  } else {
    return invalid("invalid_runtime", "the nanos executor runs python3.11 and nodejs20, not " + runtime);
  }
  tree.files[tree.program] = tree.program;
  auto libraries = ::stratus::nanos::sharedLibraries(binaries);
  if (!libraries) return propagate(libraries.error(), "nanos runtime " + runtime);
  for (const auto& library : *libraries) tree.files[library] = library;
  // The loader's cache: libraries are found where the host's loader would find them.
  if (fs::exists("/etc/ld.so.cache")) tree.files["/etc/ld.so.cache"] = "/etc/ld.so.cache";
  return tree;
}

Result<Manifest> instanceManifest(const InstanceSpec& spec, const RuntimeTree& runtime,
                                  const fs::path& bootstrapDir) {
  Manifest manifest;
  manifest.program = runtime.program;
  manifest.files = runtime.files;
  manifest.arguments = bootstrapArgv(spec.runtime);
  // The bootstraps: the sandbox binds this folder at /opt/stratus; here it is copied in.
  if (auto added = addTree(manifest.files, bootstrapDir, "/opt/stratus", [](const std::string&) { return false; });
      !added)
    return propagate(added.error(), "the runtime bootstraps");
  std::map<std::string, std::string> code;
  if (auto added = addTree(code, spec.codeDir, "/var/task", [](const std::string&) { return false; }); !added)
    return propagate(added.error(), "the function's code");
  for (auto& [guest, host] : code) {
    if (toValidUtf8(guest) != guest)
      return invalid("invalid_code", "the code's file name '" + toValidUtf8(guest) +
                                         "' is not UTF-8, which a Nanos image cannot hold");
    manifest.files[guest] = host;
  }
  manifest.directories = {"/tmp", "/var/task"};

  std::string api = std::string(::stratus::nanos::kRuntimeApiGuestAddress) + ":" +
                    std::to_string(::stratus::nanos::kRuntimeApiGuestPort);
  std::map<std::string, std::string> env;
  for (const auto& entry : baseEnvironment()) {
    auto equals = entry.find('=');
    env[entry.substr(0, equals)] = entry.substr(equals + 1);
  }
  env["AWS_LAMBDA_RUNTIME_API"] = api;
  for (const auto& [name, value] : functionEnvironment(spec)) env[name] = value;
  // Nanos has no fork(): the bootstraps run a script inside their own process.
  env["STRATUS_SCRIPT_IN_PROCESS"] = "1";
  manifest.environment.assign(env.begin(), env.end());
  manifest.settings = {{"debug_exit", "t"},
                       {"ipaddr", std::string(::stratus::nanos::kGuestAddress)},
                       {"netmask", std::string(::stratus::nanos::kGuestNetmask)},
                       {"gateway", std::string(::stratus::nanos::kGuestGateway)}};
  return manifest;
}

}  // namespace stratus::exec::nanos
