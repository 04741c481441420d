// What the S3 store sends and how it reacts to each kind of answer, against a scripted
// fake (fake_s3.h): retries and what is not retried, the body hash on every request,
// multipart aborts, paged listings, timeouts. Needs no node: these never skip.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>

#include "blob/s3/s3_blob_store.h"
#include "common/crypto.h"
#include "integration/blob/fake_s3.h"

namespace stratus::blob {
namespace {

using fake::CannedResponse;
using fake::FakeS3;
using fake::RecordedRequest;
using fake::s3Error;

BlobStorePtr open(const S3Options& options) {
  auto store = openS3BlobStore(options);
  if (!store) ADD_FAILURE() << store.error().describe();
  return store ? std::move(*store) : nullptr;
}

bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// Answers like S3 for every operation the store uses; GET of an object returns "hello"
// with its checksum.
CannedResponse likeS3(const RecordedRequest& request) {
  const std::string query = request.query();
  if (request.method == "POST" && query == "uploads=") {
    return {200,
            {},
            "<InitiateMultipartUploadResult><UploadId>up-1</UploadId>"
            "</InitiateMultipartUploadResult>",
            false};
  }
  if (request.method == "PUT" && has(query, "partNumber=")) {
    const std::string number = query.substr(11, query.find('&') - 11);
    return {200, {{"ETag", "\"etag-" + number + "\""}}, "", false};
  }
  if (request.method == "POST") {
    return {200,
            {},
            "<CompleteMultipartUploadResult><ETag>\"x-3\"</ETag>"
            "</CompleteMultipartUploadResult>",
            false};
  }
  if (request.method == "GET" && has(query, "list-type=2")) {
    return {
        200, {}, "<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>", false};
  }
  if (request.method == "GET") return {200, {{"x-amz-meta-sha256", sha256Hex("hello")}}, "hello"};
  if (request.method == "DELETE") return {204, {}, "", false};
  return {200, {}, "", false};
}

TEST(S3Requests, SlowDownIsRetriedUntilItGetsThrough) {
  std::atomic<int> calls{0};
  FakeS3 fake([&](const RecordedRequest& request) {
    return ++calls <= 2 ? s3Error(503, "SlowDown") : likeS3(request);
  });
  auto store = open(fake.options());
  auto put = store->put("users/u1/a.zip", "data");
  ASSERT_TRUE(put) << put.error().describe();
  const auto requests = fake.requests();
  ASSERT_EQ(requests.size(), 3u);
  for (const auto& request : requests) {
    EXPECT_EQ(request.method, "PUT");
    EXPECT_EQ(request.target, "/fake-bucket/users/u1/a.zip");
    EXPECT_EQ(request.body, "data");
  }
}

TEST(S3Requests, AClientErrorIsNotRetried) {
  FakeS3 fake([](const RecordedRequest&) { return s3Error(400, "InvalidArgument"); });
  auto store = open(fake.options());
  auto put = store->put("a", "data");
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().kind, ErrorKind::internal);
  EXPECT_EQ(put.error().code, "blob_storage_error");
  EXPECT_TRUE(has(put.error().message, "HTTP 400 InvalidArgument")) << put.error().message;
  EXPECT_TRUE(has(put.error().describe(), "canned InvalidArgument")) << put.error().describe();
  EXPECT_EQ(fake.requests().size(), 1u);
}

TEST(S3Requests, RequestTimeoutIsRetriedThoughItIsA400) {
  std::atomic<int> calls{0};
  FakeS3 fake([&](const RecordedRequest& request) {
    return ++calls == 1 ? s3Error(400, "RequestTimeout") : likeS3(request);
  });
  EXPECT_TRUE(open(fake.options())->put("a", "data"));
  EXPECT_EQ(fake.requests().size(), 2u);
}

TEST(S3Requests, PersistentFailureGivesUpAfterMaxAttempts) {
  FakeS3 fake([](const RecordedRequest&) { return s3Error(503, "SlowDown"); });
  S3Options options = fake.options();
  options.maxAttempts = 3;
  auto got = open(options)->get("a");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(got.error().code, "blob_storage_unavailable");
  EXPECT_TRUE(has(got.error().describe(), "S3 at " + fake.endpoint())) << got.error().describe();
  EXPECT_TRUE(has(got.error().describe(), "(3 attempts)")) << got.error().describe();
  EXPECT_EQ(fake.requests().size(), 3u);
}

TEST(S3Requests, EveryRequestCarriesItsBodysSha256AndASignature) {
  FakeS3 fake(likeS3);
  S3Options options = fake.options();
  options.prefix = "p";
  options.multipartThreshold = kS3MinimumPartSize;
  options.partSize = kS3MinimumPartSize;
  auto store = open(options);
  const std::string small = "a small blob";
  const std::string large(11u << 20, 'x');
  ASSERT_TRUE(store->put("small", small));
  ASSERT_TRUE(store->put("large", large));
  ASSERT_TRUE(store->get("small"));
  ASSERT_TRUE(store->exists("small"));
  ASSERT_TRUE(store->remove("small"));
  ASSERT_TRUE(store->list(""));
  ASSERT_TRUE(static_cast<S3BlobStore&>(*store).checkBucket());

  const auto requests = fake.requests();
  ASSERT_EQ(requests.size(), 11u);  // put, 1+3+1 multipart, get, head, delete, 2 lists
  for (const auto& request : requests) {
    SCOPED_TRACE(request.method + " " + request.target);
    EXPECT_EQ(request.header("x-amz-content-sha256"), sha256Hex(request.body));
    EXPECT_TRUE(
        request.header("authorization").starts_with("AWS4-HMAC-SHA256 Credential=AKIDFAKE/"));
    EXPECT_TRUE(has(request.header("authorization"), "/us-east-1/s3/aws4_request"));
    EXPECT_TRUE(has(request.header("authorization"), "x-amz-content-sha256"));
    for (const auto& [name, value] : request.headers) {
      EXPECT_FALSE(has(value, "fake-secret")) << name;
    }
  }
  EXPECT_EQ(requests[0].target, "/fake-bucket/p/small");
  EXPECT_EQ(requests[0].header("x-amz-meta-sha256"), sha256Hex(small));
  EXPECT_EQ(requests[1].target, "/fake-bucket/p/large?uploads=");
  EXPECT_EQ(requests[1].header("x-amz-meta-sha256"), sha256Hex(large));
  EXPECT_EQ(requests[2].target, "/fake-bucket/p/large?partNumber=1&uploadId=up-1");
  EXPECT_EQ(requests[2].body.size(), 5u << 20);
  EXPECT_EQ(requests[4].body.size(), 1u << 20);
  EXPECT_EQ(requests[5].target, "/fake-bucket/p/large?uploadId=up-1");
  EXPECT_EQ(requests[5].body,
            "<CompleteMultipartUpload>"
            "<Part><PartNumber>1</PartNumber><ETag>&quot;etag-1&quot;</ETag></Part>"
            "<Part><PartNumber>2</PartNumber><ETag>&quot;etag-2&quot;</ETag></Part>"
            "<Part><PartNumber>3</PartNumber><ETag>&quot;etag-3&quot;</ETag></Part>"
            "</CompleteMultipartUpload>");
  EXPECT_EQ(requests[7].method, "HEAD");
  EXPECT_EQ(requests[8].method, "DELETE");
  EXPECT_EQ(requests[9].target, "/fake-bucket?encoding-type=url&list-type=2&prefix=p%2F");
  EXPECT_EQ(requests[10].target,
            "/fake-bucket?encoding-type=url&list-type=2&max-keys=1&prefix=p%2F");
}

TEST(S3Requests, ASessionTokenIsSentAndSigned) {
  FakeS3 fake(likeS3);
  S3Options options = fake.options();
  options.sessionToken = "FwoGZXIvYXdzE+token/with=signs";
  ASSERT_TRUE(open(options)->put("a", "x"));
  const auto request = fake.requests().at(0);
  EXPECT_EQ(request.header("x-amz-security-token"), options.sessionToken);
  EXPECT_TRUE(has(request.header("authorization"), "x-amz-security-token"));
}

TEST(S3Requests, AFailedPartAbortsTheUpload) {
  FakeS3 fake([](const RecordedRequest& request) {
    if (has(request.query(), "partNumber=2")) return s3Error(400, "InvalidArgument");
    return likeS3(request);
  });
  S3Options options = fake.options();
  options.multipartThreshold = kS3MinimumPartSize;
  options.partSize = kS3MinimumPartSize;
  auto put = open(options)->put("big", std::string(6u << 20, 'z'));
  ASSERT_FALSE(put);
  EXPECT_TRUE(has(put.error().describe(), "multipart upload aborted")) << put.error().describe();
  const auto requests = fake.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[3].method, "DELETE");
  EXPECT_EQ(requests[3].target, "/fake-bucket/big?uploadId=up-1");
}

TEST(S3Requests, AnErrorHiddenInA200CompleteIsSeenAndRetried) {
  std::atomic<int> completes{0};
  FakeS3 fake([&](const RecordedRequest& request) {
    if (request.method == "POST" && has(request.query(), "uploadId=") && ++completes == 1) {
      CannedResponse hidden = s3Error(200, "InternalError");
      return hidden;
    }
    return likeS3(request);
  });
  S3Options options = fake.options();
  options.multipartThreshold = kS3MinimumPartSize;
  options.partSize = kS3MinimumPartSize;
  EXPECT_TRUE(open(options)->put("big", std::string(5u << 20, 'z')));
  EXPECT_EQ(completes.load(), 2);
}

TEST(S3Requests, ListingFollowsContinuationTokensAndKeepsOnlyBlobKeys) {
  FakeS3 fake([](const RecordedRequest& request) -> CannedResponse {
    if (!has(request.query(), "continuation-token=")) {
      return {200,
              {},
              "<ListBucketResult><Contents><Key>p/c</Key></Contents>"
              "<Contents><Key>p/a</Key></Contents>"
              "<IsTruncated>true</IsTruncated>"
              "<NextContinuationToken>t+1/=</NextContinuationToken></ListBucketResult>",
              false};
    }
    return {200,
            {},
            "<ListBucketResult><Contents><Key>p/b</Key></Contents>"
            "<Contents><Key>p/not+a+key</Key></Contents>"
            "<Contents><Key>p/d%2Fe</Key></Contents>"
            "<IsTruncated>false</IsTruncated></ListBucketResult>",
            false};
  });
  S3Options options = fake.options();
  options.prefix = "p";
  auto listed = open(options)->list("");
  ASSERT_TRUE(listed) << listed.error().describe();
  EXPECT_EQ(*listed, (std::vector<std::string>{"a", "b", "c", "d/e"}));
  const auto requests = fake.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(
      requests[1].target,
      "/fake-bucket?continuation-token=t%2B1%2F%3D&encoding-type=url&list-type=2&prefix=p%2F");
}

TEST(S3Requests, AStoreThatNeverAnswersTimesOut) {
  FakeS3 fake([](const RecordedRequest&) { return CannedResponse{.hang = true}; });
  S3Options options = fake.options();
  options.requestTimeoutMs = 300;
  options.maxAttempts = 2;
  const auto started = std::chrono::steady_clock::now();
  auto got = open(options)->get("a");
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, "blob_storage_unavailable");
  EXPECT_TRUE(has(got.error().message, "unreachable: Timeout was reached")) << got.error().message;
  EXPECT_EQ(fake.requests().size(), 2u);
  EXPECT_LT(elapsed, std::chrono::seconds(3));
}

TEST(S3Requests, EachRefusalBecomesItsOwnError) {
  struct Case {
    CannedResponse answer;
    ErrorKind kind;
    std::string code;
    std::string inMessage;
  };
  const std::vector<Case> cases{
      {s3Error(404, "NoSuchKey"), ErrorKind::not_found, "blob_not_found", "no such blob"},
      {s3Error(404, "NoSuchBucket"), ErrorKind::unavailable, "blob_storage_misconfigured",
       "no bucket \"fake-bucket\""},
      {s3Error(403, "AccessDenied"), ErrorKind::unavailable, "blob_storage_denied",
       "AccessDenied (the credentials may not get blob in bucket \"fake-bucket\")"},
      {s3Error(403, "InvalidAccessKeyId"), ErrorKind::unavailable, "blob_storage_denied",
       "InvalidAccessKeyId"},
      {s3Error(400, "AuthorizationHeaderMalformed"), ErrorKind::unavailable,
       "blob_storage_misconfigured", "canned AuthorizationHeaderMalformed"},
      {CannedResponse{502, {}, "<html>bad gateway</html>", false}, ErrorKind::unavailable,
       "blob_storage_unavailable", "is failing: HTTP 502"},
      {CannedResponse{200, {}, "no checksum here", false}, ErrorKind::internal,
       "blob_checksum_missing", "blob a has no x-amz-meta-sha256"},
  };
  for (const auto& [answer, kind, code, inMessage] : cases) {
    SCOPED_TRACE(code + " " + inMessage);
    FakeS3 fake([&](const RecordedRequest&) { return answer; });
    S3Options options = fake.options();
    options.maxAttempts = 2;
    auto got = open(options)->get("a");
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().kind, kind);
    EXPECT_EQ(got.error().code, code);
    EXPECT_TRUE(has(got.error().message, inMessage)) << got.error().message;
  }
}

TEST(S3Requests, AMissingObjectDoesNotExistAndRemovingItIsFine) {
  FakeS3 fake([](const RecordedRequest& request) {
    return request.method == "HEAD" ? CannedResponse{404, {}, "", false}
                                    : s3Error(404, "NoSuchKey");
  });
  auto store = open(fake.options());
  auto exists = store->exists("a");
  ASSERT_TRUE(exists) << exists.error().describe();
  EXPECT_FALSE(*exists);
  EXPECT_TRUE(store->remove("a"));
  EXPECT_EQ(fake.requests().size(), 2u) << "a 404 is an answer, not retried";
}

}  // namespace
}  // namespace stratus::blob
