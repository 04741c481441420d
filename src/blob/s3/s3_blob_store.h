// The BlobStore on S3 or an S3-compatible store (MinIO, Ceph, R2, s3rver): DESIGN §6,
// --blobs s3://bucket/prefix. Blob key K is object "prefix/K" of the bucket.
//
// - put: one PUT below multipartThreshold, a multipart upload at or above it (aborted on
//   any failure, so no half-written object appears: S3 publishes an object only when the
//   PUT or CompleteMultipartUpload succeeds). Either way the object carries the SHA-256 of
//   the whole blob in x-amz-meta-sha256.
// - get: checks the body against x-amz-meta-sha256 on every read. A mismatch is re-read
//   (a store that does not write atomically can show a torn object mid-overwrite) and,
//   if it persists, refused as internal "blob_checksum_mismatch". An object without the
//   checksum was not written by Stratus and is refused as internal "blob_checksum_missing".
// - Requests are retried with jittered exponential back-off on no answer, 429, 5xx,
//   SlowDown, RequestTimeout and InternalError; s3_failure.h lists the resulting errors.
// - Thread-safe; the configuration is fixed at construction.
#pragma once

#include <memory>

#include "blob/blob_store.h"
#include "blob/s3/s3_options.h"
#include "blob/s3/s3_request.h"

namespace stratus::blob {

namespace s3 {
class HttpTransport;
struct HttpRequest;
struct HttpResponse;
struct RequestSite;
}  // namespace s3

class S3BlobStore final : public BlobStore {
 public:
  // `options` must pass validateS3Options; use openS3BlobStore.
  explicit S3BlobStore(S3Options options);
  ~S3BlobStore() override;

  Status put(std::string_view key, std::string_view data) override;
  Result<std::string> get(std::string_view key) override;
  Status remove(std::string_view key) override;
  Result<bool> exists(std::string_view key) override;
  Result<std::vector<std::string>> list(std::string_view prefix) override;

  // A ListObjectsV2 of at most one key under the prefix: proves the endpoint, the bucket,
  // the region and that the credentials may read, without writing anything. Failures are
  // the errors of s3_failure.h, with messages meant for `stratus doctor`.
  Status checkBucket();

  const S3Options& options() const { return options_; }
  // The endpoint requests go to, as messages name it.
  const std::string& endpointUrl() const { return endpointUrl_; }

 private:
  enum class NotFound { isError, isAnswer };
  Result<s3::HttpResponse> call(const s3::HttpRequest& request, s3::RequestSite site,
                                NotFound notFound);
  std::string objectUrl(std::string_view objectKey, std::string_view query) const;
  s3::RequestSite site(std::string operation, std::string_view key) const;
  void sleepBeforeRetry(int attempt) const;
  Status putWhole(const std::string& objectKey, std::string_view key, std::string_view data,
                  const std::string& sha256);
  Status putInParts(const std::string& objectKey, std::string_view key, std::string_view data,
                    const std::string& sha256);

  const S3Options options_;
  const std::string endpointUrl_;
  const s3::Endpoint endpoint_;
  std::unique_ptr<s3::HttpTransport> http_;
};

// Validates the options (no network I/O: a wrong bucket or credentials show at the first
// request, or in checkBucket()) and makes the store.
Result<BlobStorePtr> openS3BlobStore(const S3Options& options);

// openS3BlobStore + checkBucket, for `stratus doctor`.
Status checkS3Access(const S3Options& options);

}  // namespace stratus::blob
