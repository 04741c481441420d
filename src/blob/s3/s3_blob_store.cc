#include "blob/s3/s3_blob_store.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <set>
#include <thread>

#include "blob/s3/s3_failure.h"
#include "blob/s3/s3_http.h"
#include "blob/s3/s3_xml.h"
#include "common/crypto.h"
#include "common/log.h"

namespace stratus::blob {
namespace {

using s3::HttpRequest;
using s3::HttpResponse;

// S3 refuses object keys longer than this many bytes.
constexpr std::size_t kMaxObjectKey = 1024;
// S3's limit on the parts of one upload.
constexpr std::size_t kMaxParts = 10'000;

s3::Endpoint parsedEndpoint(const S3Options& options) {
  auto endpoint = s3::parseEndpoint(s3::endpointUrlFor(options.endpoint, options.region));
  if (!endpoint) {
    std::fprintf(stderr, "stratus: S3BlobStore given unvalidated options: %s\n",
                 endpoint.error().describe().c_str());
    std::abort();
  }
  return *endpoint;
}

double random01() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

std::string lowerHex(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

HttpRequest request(std::string method, std::string url, std::string_view body = {},
                    std::vector<std::string> headers = {}) {
  return HttpRequest{std::move(method), std::move(url), body, std::move(headers), false};
}

}  // namespace

S3BlobStore::S3BlobStore(S3Options options)
    : options_(std::move(options)),
      endpointUrl_(s3::endpointUrlFor(options_.endpoint, options_.region)),
      endpoint_(parsedEndpoint(options_)),
      http_(std::make_unique<s3::HttpTransport>(options_)) {
  initCrypto();  // sha256Hex needs libsodium initialised
}

S3BlobStore::~S3BlobStore() = default;

std::string S3BlobStore::objectUrl(std::string_view objectKey, std::string_view query) const {
  return s3::requestUrl(endpoint_, options_.bucket, options_.pathStyle, objectKey, query);
}

s3::RequestSite S3BlobStore::site(std::string operation, std::string_view key) const {
  return s3::RequestSite{endpointUrl_, options_.bucket, std::move(operation), std::string(key), 1};
}

void S3BlobStore::sleepBeforeRetry(int attempt) const {
  std::this_thread::sleep_for(s3::backoffDelay(attempt, options_.backoffBase, random01()));
}

Result<HttpResponse> S3BlobStore::call(const HttpRequest& request, s3::RequestSite where,
                                       NotFound notFound) {
  for (int attempt = 1;; ++attempt) {
    HttpResponse response = http_->send(request);
    if (response.succeeded()) return response;
    const s3::Reply& reply = response.reply;
    // A missing key is an answer for get, exists and remove; a missing bucket never is.
    if (notFound == NotFound::isAnswer && reply.answered && reply.status == 404 &&
        reply.s3Code != "NoSuchBucket") {
      return response;
    }
    if (attempt >= options_.maxAttempts || !s3::isRetryable(reply)) {
      where.attempts = attempt;
      return std::unexpected(s3::describeFailure(reply, where));
    }
    // Retries that succeed are invisible to callers: the log is where a struggling store
    // shows before it fails outright.
    log::warn(
        "blob store request retried",
        {{"endpoint", endpointUrl_},
         {"operation", where.operation},
         {"key", where.key},
         {"attempt", attempt},
         {"cause", reply.answered ? "HTTP " + std::to_string(reply.status) + " " + reply.s3Code
                                  : reply.transportError}});
    sleepBeforeRetry(attempt);
  }
}

Status S3BlobStore::put(std::string_view key, std::string_view data) {
  if (auto valid = validateKey(key); !valid) return valid;
  const std::string objectKey = s3::objectKeyFor(options_.prefix, key);
  if (objectKey.size() > kMaxObjectKey) {
    return invalid("invalid_blob_key", "the blob key is too long for S3 under this prefix");
  }
  const std::string sha256 = sha256Hex(data);
  if (data.size() < options_.multipartThreshold) return putWhole(objectKey, key, data, sha256);
  return putInParts(objectKey, key, data, sha256);
}

Status S3BlobStore::putWhole(const std::string& objectKey, std::string_view key,
                             std::string_view data, const std::string& sha256) {
  auto put = call(request("PUT", objectUrl(objectKey, ""), data, {"x-amz-meta-sha256: " + sha256}),
                  site("put blob", key), NotFound::isError);
  if (!put) return std::unexpected(std::move(put.error()));
  return {};
}

Status S3BlobStore::putInParts(const std::string& objectKey, std::string_view key,
                               std::string_view data, const std::string& sha256) {
  auto created = call(request("POST", objectUrl(objectKey, s3::canonicalQuery({{"uploads", ""}})),
                              {}, {"x-amz-meta-sha256: " + sha256}),
                      site("start a multipart upload of blob", key), NotFound::isError);
  if (!created) return std::unexpected(std::move(created.error()));
  auto uploadId = s3::parseUploadId(created->body);
  if (!uploadId) return propagate(std::move(uploadId.error()), "put blob " + std::string(key));

  // Every failure from here on aborts the upload, so its parts do not linger (and cost)
  // in the bucket. The abort is best effort: a bucket lifecycle rule for incomplete
  // uploads catches what it misses (docs/operations.md).
  auto abandon = [&](Error error) -> Status {
    const std::string query = s3::canonicalQuery({{"uploadId", *uploadId}});
    (void)call(request("DELETE", objectUrl(objectKey, query)),
               site("abort the multipart upload of blob", key), NotFound::isAnswer);
    error.addContext("multipart upload aborted");
    return std::unexpected(std::move(error));
  };

  // Parts of partSize, or larger when that would make more parts than S3 allows.
  const std::size_t partSize =
      std::max(options_.partSize, (data.size() + kMaxParts - 1) / kMaxParts);
  std::vector<std::string> etags;
  for (std::size_t offset = 0; offset < data.size(); offset += partSize) {
    const std::string partNumber = std::to_string(etags.size() + 1);
    const std::string query =
        s3::canonicalQuery({{"partNumber", partNumber}, {"uploadId", *uploadId}});
    auto part = call(request("PUT", objectUrl(objectKey, query), data.substr(offset, partSize)),
                     site("upload part " + partNumber + " of blob", key), NotFound::isError);
    if (!part) return abandon(std::move(part.error()));
    std::string etag = part->header("etag");
    if (etag.empty()) {
      return abandon(Error{ErrorKind::internal,
                           "blob_storage_bad_answer",
                           "the blob store answered an uploaded part without an ETag",
                           {}});
    }
    etags.push_back(std::move(etag));
  }

  const std::string body = s3::completeMultipartBody(etags);
  HttpRequest complete =
      request("POST", objectUrl(objectKey, s3::canonicalQuery({{"uploadId", *uploadId}})), body,
              {"Content-Type: application/xml"});
  complete.errorMayComeWith200 = true;
  auto completed =
      call(complete, site("complete the multipart upload of blob", key), NotFound::isError);
  if (!completed) return abandon(std::move(completed.error()));
  return {};
}

Result<std::string> S3BlobStore::get(std::string_view key) {
  if (auto valid = validateKey(key); !valid) return std::unexpected(std::move(valid.error()));
  const std::string objectKey = s3::objectKeyFor(options_.prefix, key);
  const HttpRequest fetch = request("GET", objectUrl(objectKey, ""));
  for (int attempt = 1;; ++attempt) {
    auto response = call(fetch, site("get blob", key), NotFound::isAnswer);
    if (!response) return std::unexpected(std::move(response.error()));
    if (response->reply.status == 404) {
      return fail(ErrorKind::not_found, "blob_not_found", "no such blob");
    }
    const std::string expected = lowerHex(response->header("x-amz-meta-sha256"));
    if (expected.empty()) {
      return fail(ErrorKind::internal, "blob_checksum_missing",
                  "blob " + std::string(key) +
                      " has no x-amz-meta-sha256 checksum: it was not written by Stratus");
    }
    if (constantTimeEquals(sha256Hex(response->body), expected)) {
      return std::move(response->body);
    }
    if (attempt >= options_.maxAttempts) {
      return fail(ErrorKind::internal, "blob_checksum_mismatch",
                  "blob " + std::string(key) + " does not match its SHA-256 checksum (read " +
                      std::to_string(attempt) + " times): it was damaged in storage");
    }
    log::warn("blob checksum mismatch, reading again",
              {{"endpoint", endpointUrl_}, {"key", std::string(key)}, {"attempt", attempt}});
    sleepBeforeRetry(attempt);
  }
}

Status S3BlobStore::remove(std::string_view key) {
  if (auto valid = validateKey(key); !valid) return valid;
  auto removed = call(request("DELETE", objectUrl(s3::objectKeyFor(options_.prefix, key), "")),
                      site("remove blob", key), NotFound::isAnswer);
  if (!removed) return std::unexpected(std::move(removed.error()));
  return {};
}

Result<bool> S3BlobStore::exists(std::string_view key) {
  if (auto valid = validateKey(key); !valid) return std::unexpected(std::move(valid.error()));
  // HEAD answers carry no body, so a 404 cannot tell a missing key from a missing bucket:
  // exists() says false for both; put and get name the missing bucket.
  auto head = call(request("HEAD", objectUrl(s3::objectKeyFor(options_.prefix, key), "")),
                   site("look up blob", key), NotFound::isAnswer);
  if (!head) return std::unexpected(std::move(head.error()));
  return head->reply.status != 404;
}

Result<std::vector<std::string>> S3BlobStore::list(std::string_view prefix) {
  if (auto valid = validateListPrefix(prefix); !valid) {
    return std::unexpected(std::move(valid.error()));
  }
  const std::string objectPrefix =
      options_.prefix.empty() ? std::string(prefix) : options_.prefix + "/" + std::string(prefix);
  std::vector<std::string> keys;
  std::set<std::string> tokensSeen;
  std::string token;
  while (true) {
    // encoding-type=url: a key with a character XML 1.0 cannot carry (someone else's
    // object) would otherwise make the whole page unreadable.
    s3::QueryParams params{{"encoding-type", "url"}, {"list-type", "2"}, {"prefix", objectPrefix}};
    if (!token.empty()) params.emplace_back("continuation-token", token);
    auto response = call(request("GET", objectUrl("", s3::canonicalQuery(std::move(params)))),
                         site("list blobs", prefix), NotFound::isError);
    if (!response) return std::unexpected(std::move(response.error()));
    auto page = s3::parseListPage(response->body);
    if (!page) return propagate(std::move(page.error()), "list blobs");
    for (const auto& listed : page->keys) {
      // Objects someone else put under the prefix with names no blob key can have are not
      // blobs (as a stray file is not one in the local store). Stores that ignore
      // encoding-type send keys as they are, which decoding leaves alone for blob keys.
      auto objectKey = s3::decodeListedKey(listed);
      if (!objectKey) continue;
      auto key = s3::blobKeyFor(options_.prefix, *objectKey);
      if (key && key->starts_with(prefix) && validateKey(*key)) keys.push_back(std::move(*key));
    }
    if (!page->truncated) break;
    if (!tokensSeen.insert(page->nextContinuationToken).second) {
      return fail(ErrorKind::internal, "blob_storage_bad_answer",
                  "the blob store repeated a listing continuation token");
    }
    token = page->nextContinuationToken;
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

Status S3BlobStore::checkBucket() {
  const std::string objectPrefix = options_.prefix.empty() ? "" : options_.prefix + "/";
  const std::string query = s3::canonicalQuery(
      {{"encoding-type", "url"}, {"list-type", "2"}, {"max-keys", "1"}, {"prefix", objectPrefix}});
  auto listed =
      call(request("GET", objectUrl("", query)), site("list objects", ""), NotFound::isError);
  if (!listed) return std::unexpected(std::move(listed.error()));
  if (auto page = s3::parseListPage(listed->body); !page) {
    return std::unexpected(std::move(page.error()));
  }
  return {};
}

Result<BlobStorePtr> openS3BlobStore(const S3Options& options) {
  if (auto valid = validateS3Options(options); !valid) {
    return std::unexpected(std::move(valid.error()));
  }
  return std::make_unique<S3BlobStore>(options);
}

Status checkS3Access(const S3Options& options) {
  if (auto valid = validateS3Options(options); !valid) return valid;
  return S3BlobStore(options).checkBucket();
}

}  // namespace stratus::blob
