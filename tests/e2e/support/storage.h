// Which storage the servers under test run on. By default each server gets the embedded
// defaults (SQLite and a blob folder in its data folder). With STRATUS_E2E_STORAGE=
// postgres-s3 (the ctest entry e2e_postgres_s3) the same tests run with every server on
// PostgreSQL and S3 instead: one throwaway cluster and one s3rver for the whole binary,
// a fresh database and a fresh key prefix per server.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "blob/blob_store.h"
#include "common/error.h"
#include "store/metadata_store.h"

namespace stratus::e2e {

class ServerProcess;

struct ServerStorage {
  std::vector<std::string> args;  // --database / --blobs flags, empty for the defaults
  std::vector<std::string> env;   // AWS_* credentials for S3
  std::string databaseUrl;        // empty: SQLite in the data folder
  std::string blobsUrl;           // empty: a folder in the data folder
};

bool usingPostgresS3();

// Storage for one new server; empty (the defaults) unless usingPostgresS3(). A --database
// or --blobs among the test's own `serverArgs` wins over the fresh one.
ServerStorage freshStorage(const std::vector<std::string>& serverArgs);

// The server's own metadata store, opened alongside it (tests that check what was or was
// not written, or plant a record the server then reads).
Result<store::MetadataStorePtr> openServerStore(const ServerProcess& server);
// The server's own blob store.
Result<blob::BlobStorePtr> openServerBlobs(const ServerProcess& server);

}  // namespace stratus::e2e
