// The BlobStore contract on a real S3 server (s3rver, which checks every signature), plus
// what only S3 has: multipart uploads, credentials, the checksum kept beside each object,
// and a store that goes away. Every test skips, with the reason, when node or the
// fixture's packages are missing.
#include "blob/s3/s3_blob_store.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "common/crypto.h"
#include "testing/s3_server.h"
#include "unit/blob/blob_store_contract.h"

namespace stratus::blob {
namespace {

using contract::binaryBlob;
using contract::BlobStoreContract;
using contract::BlobStoreFactory;
using stratus::testing::S3ServerFixture;

constexpr const char* kBucket = "stratus-blobs";

// One server for the whole binary, started by the first test that needs it.
S3ServerFixture* sharedServer() {
  static std::unique_ptr<S3ServerFixture> server =
      S3ServerFixture::available() ? S3ServerFixture::start(kBucket) : nullptr;
  return server.get();
}

std::string freshPrefix() {
  static std::atomic<int> counter{0};
  return "test-" + std::to_string(counter++);
}

// Skips when s3rver is not installed here; fails when it is but did not start, which is
// a broken setup to fix rather than a reason to pass without testing anything.
void requireServer() {
  if (!S3ServerFixture::available()) GTEST_SKIP() << "skipped: " << S3ServerFixture::skipReason();
  if (sharedServer() == nullptr) GTEST_FAIL() << "s3rver did not start (its output is above)";
}

BlobStorePtr freshS3Store() {
  requireServer();
  if (sharedServer() == nullptr) return nullptr;
  auto store = openS3BlobStore(sharedServer()->options(freshPrefix()));
  if (!store) {
    ADD_FAILURE() << store.error().describe();
    return nullptr;
  }
  return std::move(*store);
}

INSTANTIATE_TEST_SUITE_P(S3rver, BlobStoreContract,
                         ::testing::Values(BlobStoreFactory(freshS3Store)));

class S3BlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    requireServer();
    server_ = sharedServer();
    if (server_ == nullptr) return;
    prefix_ = freshPrefix();
  }

  S3Options options() const { return server_->options(prefix_); }

  BlobStorePtr open(const S3Options& options) {
    auto store = openS3BlobStore(options);
    EXPECT_TRUE(store) << store.error().describe();
    return store ? std::move(*store) : nullptr;
  }

  // Requests that the server logged since `from` for this test's prefix.
  std::vector<std::string> requestsSince(std::size_t from) const {
    auto all = server_->requestLog();
    std::vector<std::string> mine;
    for (std::size_t i = from; i < all.size(); ++i) {
      if (all[i].find("/" + prefix_ + "/") != std::string::npos) mine.push_back(all[i]);
    }
    return mine;
  }

  static std::size_t countContaining(const std::vector<std::string>& lines, std::string_view text) {
    return std::count_if(lines.begin(), lines.end(), [&](const std::string& line) {
      return line.find(text) != std::string::npos;
    });
  }

  S3ServerFixture* server_ = nullptr;
  std::string prefix_;
};

TEST_F(S3BlobStoreTest, SmallBlobsGoInOnePut) {
  auto store = open(options());
  const std::size_t before = server_->requestLog().size();
  ASSERT_TRUE(store->put("small.zip", binaryBlob(1000)));
  const auto requests = requestsSince(before);
  ASSERT_EQ(requests.size(), 1u) << ::testing::PrintToString(requests);
  EXPECT_TRUE(requests[0].starts_with("request PUT /" + std::string(kBucket) + "/" + prefix_ +
                                      "/small.zip 200"))
      << requests[0];
}

TEST_F(S3BlobStoreTest, LargeBlobsGoUpInPartsAndComeBackWhole) {
  S3Options small = options();
  small.multipartThreshold = kS3MinimumPartSize;
  small.partSize = kS3MinimumPartSize;
  auto store = open(small);
  const std::string data = binaryBlob(12u << 20);  // parts of 5, 5 and 2 MiB
  const std::size_t before = server_->requestLog().size();
  auto put = store->put("big/blob.zip", data);
  ASSERT_TRUE(put) << put.error().describe();

  const auto requests = requestsSince(before);
  EXPECT_EQ(countContaining(requests, "POST /" + std::string(kBucket) + "/" + prefix_ +
                                          "/big/blob.zip?uploads= 200"),
            1u)
      << ::testing::PrintToString(requests);
  EXPECT_EQ(countContaining(requests, "?partNumber="), 3u);
  EXPECT_EQ(countContaining(requests, "partNumber=3&uploadId="), 1u);
  EXPECT_EQ(countContaining(requests, "POST /" + std::string(kBucket) + "/" + prefix_ +
                                          "/big/blob.zip?uploadId="),
            1u);

  auto got = store->get("big/blob.zip");
  ASSERT_TRUE(got) << got.error().describe();
  EXPECT_TRUE(*got == data);
  // The whole blob's checksum travelled with CreateMultipartUpload into the object.
  std::ifstream metadata(server_->objectFile(prefix_ + "/big/blob.zip", "metadata.json"));
  std::string text((std::istreambuf_iterator<char>(metadata)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find(sha256Hex(data)), std::string::npos) << text;
}

TEST_F(S3BlobStoreTest, AWrongSecretIsDeniedByNameAndStoresNothing) {
  S3Options wrong = options();
  wrong.secretAccessKey = "not-the-secret";
  wrong.maxAttempts = 4;
  auto store = open(wrong);
  const std::size_t before = server_->requestLog().size();
  auto put = store->put("a.zip", "data");
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(put.error().code, "blob_storage_denied");
  EXPECT_NE(put.error().message.find("SignatureDoesNotMatch"), std::string::npos)
      << put.error().message;
  EXPECT_NE(put.error().message.find("secret access key"), std::string::npos);
  EXPECT_EQ(put.error().describe().find("not-the-secret"), std::string::npos);
  EXPECT_EQ(requestsSince(before).size(), 1u) << "a refusal is not retried";

  auto good = open(options());
  EXPECT_FALSE(*good->exists("a.zip"));
  EXPECT_TRUE(good->list("")->empty());
}

TEST_F(S3BlobStoreTest, AnUnknownAccessKeyIsNamed) {
  S3Options unknown = options();
  unknown.accessKeyId = "NOBODY";
  auto store = open(unknown);
  auto got = store->get("a.zip");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, "blob_storage_denied");
  EXPECT_NE(got.error().message.find("InvalidAccessKeyId"), std::string::npos)
      << got.error().message;
}

TEST_F(S3BlobStoreTest, CheckBucketNamesWhatIsWrong) {
  EXPECT_TRUE(checkS3Access(options()));

  S3Options wrongSecret = options();
  wrongSecret.secretAccessKey = "nope";
  auto denied = checkS3Access(wrongSecret);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, "blob_storage_denied");
  EXPECT_NE(denied.error().message.find("SignatureDoesNotMatch"), std::string::npos);

  S3Options noBucket = options();
  noBucket.bucket = "no-such-bucket";
  auto missing = checkS3Access(noBucket);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(missing.error().code, "blob_storage_misconfigured");
  EXPECT_NE(missing.error().message.find("no-such-bucket"), std::string::npos);
  auto put = open(noBucket)->put("a.zip", "x");
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code, "blob_storage_misconfigured");
}

TEST_F(S3BlobStoreTest, DamagedBytesAreRefusedOnRead) {
  S3Options quick = options();
  quick.backoffBase = std::chrono::milliseconds(1);
  auto store = open(quick);
  ASSERT_TRUE(store->put("users/u1/code.zip", "the original bytes"));
  {
    std::ofstream damage(server_->objectFile(prefix_ + "/users/u1/code.zip"),
                         std::ios::binary | std::ios::trunc);
    damage << "the damaged  bytes";  // same length: only the checksum can tell
  }
  auto got = store->get("users/u1/code.zip");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().kind, ErrorKind::internal);
  EXPECT_EQ(got.error().code, "blob_checksum_mismatch");
  EXPECT_NE(got.error().message.find("users/u1/code.zip"), std::string::npos);
}

TEST_F(S3BlobStoreTest, AnObjectWithoutTheChecksumIsRefused) {
  auto store = open(options());
  ASSERT_TRUE(store->put("foreign", "written by someone else"));
  // As if another tool had written it: no x-amz-meta-sha256.
  std::ofstream(server_->objectFile(prefix_ + "/foreign", "metadata.json"), std::ios::trunc)
      << "{\"content-type\": \"application/octet-stream\"}";
  auto got = store->get("foreign");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().kind, ErrorKind::internal);
  EXPECT_EQ(got.error().code, "blob_checksum_missing");
  EXPECT_NE(got.error().message.find("foreign"), std::string::npos);
}

TEST_F(S3BlobStoreTest, ObjectsOutsideThePrefixOrWithOddNamesAreNotListed) {
  auto mine = open(options());
  S3Options otherPrefix = options();
  otherPrefix.prefix = prefix_ + "-other";
  auto other = open(otherPrefix);
  ASSERT_TRUE(mine->put("a/b", "1"));
  ASSERT_TRUE(other->put("a/c", "2"));
  EXPECT_EQ(*mine->list(""), std::vector<std::string>{"a/b"});
  EXPECT_EQ(*other->list("a/"), std::vector<std::string>{"a/c"});
  EXPECT_FALSE(*mine->exists("a/c"));
}

TEST_F(S3BlobStoreTest, UnreachableStoreFailsQuicklyNamingTheEndpointThenRecovers) {
  auto own = S3ServerFixture::start("stratus-faults");
  ASSERT_NE(own, nullptr);
  S3Options settings = own->options("faults");
  settings.backoffBase = std::chrono::milliseconds(50);
  auto store = open(settings);
  ASSERT_TRUE(store->put("before", "x"));

  ASSERT_TRUE(own->stop());
  const auto started = std::chrono::steady_clock::now();
  auto put = store->put("during", "y");
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(put.error().code, "blob_storage_unavailable");
  EXPECT_NE(put.error().message.find("the blob store (S3) is unreachable"), std::string::npos)
      << put.error().message;
  // Where it is, only in the context (logs, `stratus doctor`), not in the message.
  EXPECT_EQ(put.error().message.find(own->endpoint()), std::string::npos);
  EXPECT_NE(put.error().describe().find("S3 at " + own->endpoint()), std::string::npos)
      << put.error().describe();
  EXPECT_NE(put.error().describe().find("(4 attempts)"), std::string::npos)
      << put.error().describe();
  // 4 refused connections and 3 waits of at most 50, 100 and 200 ms.
  EXPECT_LT(elapsed, std::chrono::seconds(3));
  EXPECT_GE(elapsed, std::chrono::milliseconds(25 + 50 + 100));

  ASSERT_TRUE(own->restart());
  ASSERT_TRUE(store->put("during", "y")) << "the same store works once S3 is back";
  EXPECT_EQ(*store->get("before"), "x");
}

TEST_F(S3BlobStoreTest, AClosedPortIsUnavailable) {
  // A port that was just free: bound, read, closed.
  const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ASSERT_EQ(::bind(probe, reinterpret_cast<sockaddr*>(&address), length), 0);
  ASSERT_EQ(::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length), 0);
  ::close(probe);
  S3Options closed = options();
  closed.endpoint = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  closed.maxAttempts = 2;
  closed.backoffBase = std::chrono::milliseconds(1);
  auto store = open(closed);
  for (auto status : {store->put("k", "v"), store->remove("k")}) {
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, "blob_storage_unavailable");
    EXPECT_NE(status.error().describe().find(closed.endpoint), std::string::npos);
  }
  auto check = checkS3Access(closed);
  ASSERT_FALSE(check);
  EXPECT_NE(check.error().message.find("unreachable"), std::string::npos);
  EXPECT_NE(check.error().context.front().find("Failed to connect to 127.0.0.1 port"),
            std::string::npos)
      << check.error().describe();
}

TEST_F(S3BlobStoreTest, ManyThreadsPutAndGetAtOnce) {
  auto store = open(options());
  constexpr int kThreads = 6;
  constexpr int kRounds = 10;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < kRounds; ++n) {
        const std::string key = "t" + std::to_string(t) + "/n" + std::to_string(n);
        const std::string data = binaryBlob(1000 + t * 100 + n) + key;
        if (!store->put(key, data)) ++failures;
        auto got = store->get(key);
        if (!got || *got != data) ++failures;
        if (!*store->exists(key)) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store->list("")->size(), static_cast<std::size_t>(kThreads * kRounds));
}

}  // namespace
}  // namespace stratus::blob
