// Opens the metadata store and blob store a StorageConfig names, for `serve`, `migrate`
// and `doctor` alike, and says in one line (without secrets) which ones they are.
#pragma once

#include <string>

#include "app/serve_config.h"
#include "blob/blob_store.h"
#include "common/error.h"
#include "store/metadata_store.h"

namespace stratus::app {

// PostgreSQL (applying pending migrations) or SQLite.
Result<store::MetadataStorePtr> openMetadataStore(const StorageConfig& storage);
// S3 (no network I/O yet: a bad bucket shows at first use, or in `stratus doctor`) or a folder.
Result<blob::BlobStorePtr> openBlobStore(const StorageConfig& storage);

// "postgres://stratus:***@db:5432/stratus" or "sqlite:///var/lib/stratus.db".
std::string describeDatabase(const StorageConfig& storage);
// "s3://bucket/prefix (endpoint http://127.0.0.1:9000, path-style)" or "file:///srv/blobs".
std::string describeBlobs(const StorageConfig& storage);

}  // namespace stratus::app
