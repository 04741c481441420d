// Runs a function version in script mode on a named executor and records the invocation.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "blob/blob_store.h"
#include "blob/code_cache.h"
#include "exec/executor.h"
#include "store/metadata_store.h"

namespace stratus::api {

inline constexpr std::size_t kMaxArgs = 256;
inline constexpr std::size_t kLogExcerptBytes = 4096;

struct InvokeOutcome {
  store::Invocation record;
  exec::ScriptResult result;
};

class InvokeService {
 public:
  // executors: "sandbox", later "docker" and "nanos"; a name missing here answers 501.
  InvokeService(store::MetadataStore& store, blob::BlobStore& blobs, blob::CodeCache& cache,
                std::map<std::string, exec::Executor*> executors);

  Result<InvokeOutcome> runScript(const store::Function& function, const std::string& executor,
                                  std::vector<std::string> args);

 private:
  store::MetadataStore& store_;
  blob::BlobStore& blobs_;
  blob::CodeCache& cache_;
  std::map<std::string, exec::Executor*> executors_;
};

}  // namespace stratus::api
