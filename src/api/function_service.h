// Creating, changing and deleting functions, independent of HTTP. Writes go blob first,
// then metadata in one transaction (DESIGN §3): a crash in between leaves an unreferenced
// blob for the sweeper, never a function without code.
#pragma once

#include <string>

#include "api/function_spec.h"
#include "blob/blob_store.h"
#include "blob/code_package.h"
#include "store/metadata_store.h"

namespace stratus::api {

struct UploadedCode {
  std::string fileName;  // as the client named it; only its extension matters
  std::string bytes;
};

// Code ready to store: always a zip, whatever was uploaded.
struct PreparedCode {
  std::string zip;
  std::string sha256;
};

// Checks an upload against runtime and handler and turns it into a zip. A single .py/.js
// file is stored under the entry name the handler implies, so "cloud.calculator" finds
// cloud.py whatever the uploaded file was called.
Result<PreparedCode> prepareCode(const UploadedCode& code, std::string_view runtime,
                                 std::string_view handler, const blob::PackageLimits& limits);

class FunctionService {
 public:
  FunctionService(store::MetadataStore& store, blob::BlobStore& blobs, blob::PackageLimits limits);

  // spec.name is required; runtime defaults from the file extension, handler to
  // "<file stem>.handler", mode to script, timeout to 3 s, memory to 128 MB, private,
  // unreserved concurrency, nothing prewarmed.
  Result<store::Function> create(const std::string& userId, FunctionSpec spec,
                                 const UploadedCode& code);
  Result<store::Function> updateConfig(const store::Function& existing, const FunctionSpec& spec);
  // New code as a new current version. With `entry`, the function's runtime and handler
  // change with it (in one transaction): the code is checked against the new ones, so an
  // upload can move the entry to a file only the new code has.
  Result<store::Function> updateCode(const store::Function& existing, const UploadedCode& code,
                                     const std::optional<store::CodeEntry>& entry = std::nullopt);
  Status remove(const store::Function& existing);
  // The whole account: its rows (store::MetadataStore::deleteUser), then its code blobs.
  Status deleteUser(const std::string& userId);
  // By name first, then by id: the v1 API names functions, the clone's routes use ids.
  Result<store::Function> find(const std::string& userId, const std::string& nameOrId);

 private:
  store::MetadataStore& store_;
  blob::BlobStore& blobs_;
  blob::PackageLimits limits_;
};

}  // namespace stratus::api
