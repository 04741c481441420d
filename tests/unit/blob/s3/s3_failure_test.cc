// Which S3 failures are retried, how long the store waits, and what each becomes.
#include "blob/s3/s3_failure.h"

#include <gtest/gtest.h>

namespace stratus::blob::s3 {
namespace {

Reply answer(long status, std::string code = "", std::string message = "") {
  Reply reply;
  reply.status = status;
  reply.s3Code = std::move(code);
  reply.s3Message = std::move(message);
  return reply;
}

Reply noAnswer(bool transient) {
  Reply reply;
  reply.answered = false;
  reply.transient = transient;
  reply.transportError = "Couldn't connect to server";
  reply.transportDetail = "Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect";
  return reply;
}

const RequestSite kSite{"http://127.0.0.1:9", "code", "put blob", "users/u1/a.zip", 4};

TEST(IsRetryable, RetriesTransientTroubleOnly) {
  EXPECT_TRUE(isRetryable(noAnswer(true)));
  EXPECT_FALSE(isRetryable(noAnswer(false)));  // e.g. a TLS certificate that does not match
  for (long status : {429L, 500L, 502L, 503L, 504L}) EXPECT_TRUE(isRetryable(answer(status)));
  EXPECT_TRUE(isRetryable(answer(503, "SlowDown")));
  EXPECT_TRUE(isRetryable(answer(400, "RequestTimeout")));
  EXPECT_TRUE(isRetryable(answer(200, "InternalError")));  // inside a 200 Complete answer
  for (long status : {400L, 401L, 403L, 404L, 405L, 409L, 411L, 412L}) {
    EXPECT_FALSE(isRetryable(answer(status))) << status;
  }
  EXPECT_FALSE(isRetryable(answer(403, "SignatureDoesNotMatch")));
  EXPECT_FALSE(isRetryable(answer(404, "NoSuchBucket")));
}

TEST(BackoffDelay, GrowsExponentiallyWithJitterAndACap) {
  using std::chrono::milliseconds;
  EXPECT_EQ(backoffDelay(1, milliseconds(100), 0.0), milliseconds(50));
  EXPECT_EQ(backoffDelay(1, milliseconds(100), 0.999), milliseconds(99));
  EXPECT_EQ(backoffDelay(2, milliseconds(100), 0.0), milliseconds(100));
  EXPECT_EQ(backoffDelay(3, milliseconds(100), 0.5), milliseconds(300));
  EXPECT_EQ(backoffDelay(40, milliseconds(100), 0.0), milliseconds(10'000));
  EXPECT_LE(backoffDelay(40, milliseconds(100), 1.0), milliseconds(20'000));
  EXPECT_EQ(backoffDelay(3, milliseconds(0), 0.7), milliseconds(0));
}

TEST(DescribeFailure, NoAnswerIsUnavailableWithTheEndpointInTheContext) {
  const Error error = describeFailure(noAnswer(true), kSite);
  EXPECT_EQ(error.kind, ErrorKind::unavailable);
  EXPECT_EQ(error.code, "blob_storage_unavailable");
  EXPECT_EQ(error.message,
            "the blob store (S3) is unreachable: Couldn't connect to server");
  ASSERT_EQ(error.context.size(), 2u);
  EXPECT_EQ(error.context[0],
            "S3 at http://127.0.0.1:9: Failed to connect to 127.0.0.1 port 9 after 0 ms: "
            "Couldn't connect (4 attempts)");
  EXPECT_EQ(error.context[1], "put blob users/u1/a.zip");
}

TEST(DescribeFailure, CredentialRefusalsSayWhichAndWhy) {
  struct Case {
    const char* code;
    const char* why;
  };
  for (const auto& [code, why] : {Case{"SignatureDoesNotMatch", "secret access key does not match"},
                                  Case{"InvalidAccessKeyId", "access key id is not known"},
                                  Case{"AccessDenied", "may not put blob in bucket \"code\""},
                                  Case{"ExpiredToken", "session token has expired"}}) {
    const Error error = describeFailure(answer(403, code, "S3 says no"), kSite);
    EXPECT_EQ(error.kind, ErrorKind::unavailable) << code;
    EXPECT_EQ(error.code, "blob_storage_denied") << code;
    EXPECT_NE(error.message.find(std::string("refused the request: ") + code), std::string::npos)
        << error.message;
    EXPECT_NE(error.message.find(why), std::string::npos) << error.message;
    EXPECT_NE(error.context.front().find("S3 says no"), std::string::npos);
  }
  // HEAD answers have no body to name the reason.
  const Error bare = describeFailure(answer(403), kSite);
  EXPECT_EQ(bare.code, "blob_storage_denied");
  EXPECT_NE(bare.message.find("without detail"), std::string::npos);
}

TEST(DescribeFailure, AMissingBucketOrAWrongRegionIsMisconfiguration) {
  const Error bucket = describeFailure(answer(404, "NoSuchBucket"), kSite);
  EXPECT_EQ(bucket.kind, ErrorKind::unavailable);
  EXPECT_EQ(bucket.code, "blob_storage_misconfigured");
  EXPECT_EQ(bucket.message,
            "the blob store (S3) has no bucket \"code\" (NoSuchBucket)");
  const Error region =
      describeFailure(answer(400, "AuthorizationHeaderMalformed",
                             "the region 'us-east-1' is wrong; expecting 'eu-west-1'"),
                      kSite);
  EXPECT_EQ(region.code, "blob_storage_misconfigured");
  EXPECT_NE(region.message.find("expecting 'eu-west-1'"), std::string::npos);
  EXPECT_EQ(describeFailure(answer(301), kSite).code, "blob_storage_misconfigured");
}

TEST(DescribeFailure, PersistentServerTroubleIsUnavailable) {
  const Error error = describeFailure(answer(503, "SlowDown"), kSite);
  EXPECT_EQ(error.kind, ErrorKind::unavailable);
  EXPECT_EQ(error.code, "blob_storage_unavailable");
  EXPECT_EQ(error.message,
            "the blob store (S3) is failing: HTTP 503 SlowDown");
}

TEST(DescribeFailure, AnythingElseIsInternalWithS3sWordsInTheContext) {
  Reply reply = answer(400, "InvalidArgument", std::string(1000, 'm') + "\n\x01");
  const Error error = describeFailure(reply, kSite);
  EXPECT_EQ(error.kind, ErrorKind::internal);
  EXPECT_EQ(error.code, "blob_storage_error");
  EXPECT_EQ(error.message,
            "the blob store (S3) refused to put blob: HTTP 400 "
            "InvalidArgument");
  // Quoted text is bounded and printable.
  EXPECT_LT(error.context.front().size(), 400u);
  EXPECT_EQ(error.context.front().find('\n'), std::string::npos);
}

}  // namespace
}  // namespace stratus::blob::s3
