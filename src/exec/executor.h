// Runs one invocation of a function in isolation. Implementations: sandbox/ (Linux
// namespaces, the default), later docker/ and nanos/. Tests plug in fakes through this
// interface.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"

namespace stratus::exec {

// Script mode (the clone's semantics): run the entry file as a program with argv.
struct ScriptRequest {
  std::string invocationId;
  std::string runtime;                // python3.11 | nodejs20
  std::filesystem::path codeDir;      // unpacked code on the host; mounted read-only at /var/task
  std::string entry;                  // path relative to codeDir, e.g. "cloud.py"
  std::vector<std::string> args;      // argv[1..]
  std::map<std::string, std::string> env;
  int timeoutS = 3;
  int memoryMb = 128;
};

struct ScriptResult {
  int exitCode = 0;        // the program's exit status; 128+N when killed by signal N
  int signal = 0;          // the signal that ended it, 0 if it exited
  bool timedOut = false;   // killed because it ran past timeoutS
  bool oomKilled = false;  // killed because it used more than memoryMb
  std::string stdoutData;
  std::string stderrData;
  bool stdoutTruncated = false;
  bool stderrTruncated = false;
  int64_t durationMs = 0;
  int64_t memoryPeakBytes = 0;  // 0 if the host cannot tell
  // Set when the platform (not the function) ended the run: timeout, memory, output.
  std::string error;
};

class Executor {
 public:
  virtual ~Executor() = default;
  virtual std::string name() const = 0;
  // An Error means the platform could not run the function at all; anything the function
  // itself does wrong (crash, timeout, OOM) is a ScriptResult.
  virtual Result<ScriptResult> runScript(const ScriptRequest& request) = 0;
  // Shutdown: ends every run in progress (each then returns a result with an error), so
  // the server's workers finish promptly. Runs started afterwards are refused.
  virtual void terminateAll() {}
};

using ExecutorPtr = std::unique_ptr<Executor>;

}  // namespace stratus::exec
