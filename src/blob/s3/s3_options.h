// The S3 blob store's configuration: one immutable value (STYLE §7), parsed from the
// --blobs URL and the AWS_* variables AWS's own tools read, and checked before any request.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "common/error.h"

namespace stratus::blob {

struct S3Options {
  std::string bucket;
  std::string prefix;  // "a/b" puts key K at object "a/b/K"; no leading or trailing slash
  std::string region = "us-east-1";
  std::string endpoint;    // "http://127.0.0.1:9000"; empty = https://s3.{region}.amazonaws.com
  bool pathStyle = false;  // host/bucket/key instead of bucket.host/key (MinIO, s3rver, Ceph)
  std::string accessKeyId, secretAccessKey, sessionToken;
  // S3 wants parts of at least 5 MiB (the last excepted) and at most 10,000 of them; a part
  // size too small for the object is raised to fit.
  std::size_t multipartThreshold = 16u << 20, partSize = 8u << 20;
  int maxAttempts = 4;  // per request, the first included
  std::chrono::milliseconds backoffBase{100};
  long connectTimeoutMs = 3000;
  long requestTimeoutMs = 60000;
};

// The smallest part S3 accepts (other than an upload's last).
inline constexpr std::size_t kS3MinimumPartSize = 5u << 20;

// blobsUrl: "s3://bucket[/prefix][?endpoint=URL&path-style=true&region=NAME]", or empty to
// take the bucket from AWS_S3_BUCKET. env: AWS_REGION (or AWS_DEFAULT_REGION),
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_ENDPOINT_URL_S3 (or
// AWS_ENDPOINT_URL), AWS_S3_FORCE_PATH_STYLE=true|1. The URL's query wins over env. Errors
// are invalid_argument "invalid_config" naming the setting at fault; the result passes
// validateS3Options.
Result<S3Options> s3OptionsFrom(std::string_view blobsUrl,
                                const std::map<std::string, std::string>& env);

// Everything that can be known wrong without a request: bucket name, prefix, region,
// endpoint URL, credentials present and free of line breaks, sizes, attempts, timeouts.
Status validateS3Options(const S3Options& options);

// S3's rules for new bucket names: 3-63 of [a-z0-9.-], a letter or digit at each end, no "..".
Status validateBucketName(std::string_view bucket);

}  // namespace stratus::blob
