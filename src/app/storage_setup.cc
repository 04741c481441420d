#include "app/storage_setup.h"

#include "blob/local/local_blob_store.h"
#include "blob/s3/s3_blob_store.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace stratus::app {

Result<store::MetadataStorePtr> openMetadataStore(const StorageConfig& storage) {
  if (!storage.postgresUrl.empty()) {
    return store::postgres::openPostgresStore(
        storage.postgresUrl, store::postgres::PostgresOptions{.poolSize = storage.databasePool});
  }
  return store::sqlite::openSqliteStore(storage.databaseFile);
}

Result<blob::BlobStorePtr> openBlobStore(const StorageConfig& storage) {
  if (storage.useS3) {
    auto options = blob::s3OptionsFrom(storage.s3Url, storage.awsEnv);
    if (!options) return std::unexpected(std::move(options.error()));
    return blob::openS3BlobStore(*options);
  }
  return blob::openLocalBlobStore(storage.blobDir);
}

std::string describeDatabase(const StorageConfig& storage) {
  if (!storage.postgresUrl.empty()) return store::postgres::redactUrl(storage.postgresUrl);
  return "sqlite://" + storage.databaseFile.string();
}

std::string describeBlobs(const StorageConfig& storage) {
  if (!storage.useS3) return "file://" + storage.blobDir.string();
  auto options = blob::s3OptionsFrom(storage.s3Url, storage.awsEnv);
  if (!options) return "s3";
  std::string text = "s3://" + options->bucket;
  if (!options->prefix.empty()) text += "/" + options->prefix;
  text += " (region " + options->region;
  if (!options->endpoint.empty()) text += ", endpoint " + options->endpoint;
  if (options->pathStyle) text += ", path-style";
  return text + ")";
}

}  // namespace stratus::app
