// The sweeper on a real (in-memory) SQLite store and a real blob folder, with a clock the
// test moves by hand.
#include "api/blob_sweeper.h"

#include <gtest/gtest.h>

#include "blob/local/local_blob_store.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/temp_dir.h"

namespace stratus::api {
namespace {

using std::chrono::seconds;

class BlobSweeperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::sqlite::openSqliteStore(":memory:");
    ASSERT_TRUE(store);
    store_ = std::move(*store);
    auto blobs = blob::openLocalBlobStore(dir_.path() / "blobs");
    ASSERT_TRUE(blobs);
    blobs_ = std::move(*blobs);
    ASSERT_TRUE(store_->createUser(store::User{.id = "u1", .email = "a@example.com", .name = "A"}));
  }

  // A function whose first version refers to `key`, and that blob.
  void deploy(const std::string& id, const std::string& key) {
    store::Function function;
    function.id = id;
    function.userId = "u1";
    function.name = id;
    function.runtime = "python3.11";
    function.handler = "main.handler";
    ASSERT_TRUE(store_->createFunction(
        function, store::FunctionVersion{.functionId = id, .version = 1, .codeSha256 = "x",
                                         .blobKey = key}));
    ASSERT_TRUE(blobs_->put(key, "zip of " + id));
  }
  bool present(const std::string& key) { return *blobs_->exists(key); }

  testing::TempDir dir_;
  store::MetadataStorePtr store_;
  blob::BlobStorePtr blobs_;
  int64_t now_ = 1'000'000;
};

TEST_F(BlobSweeperTest, DeletesOnlyBlobsUnreferencedForTheWholeGracePeriod) {
  BlobSweeper sweeper(*store_, *blobs_, seconds(60), [this] { return now_; });
  deploy("f1", "users/u1/functions/f1/a.zip");
  ASSERT_TRUE(blobs_->put("users/u1/functions/f9/orphan.zip", "left by a failed upload"));
  ASSERT_TRUE(blobs_->put("elsewhere/not-ours.bin", "not under users/"));

  auto first = sweeper.sweepOnce();
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->scanned, 2);
  EXPECT_EQ(first->unreferenced, 1);
  EXPECT_EQ(first->deleted, 0);  // just seen: an upload may be about to commit
  now_ += 59'000;
  EXPECT_EQ(sweeper.sweepOnce()->deleted, 0);
  now_ += 1'000;
  auto last = sweeper.sweepOnce();
  EXPECT_EQ(last->deleted, 1);
  EXPECT_FALSE(present("users/u1/functions/f9/orphan.zip"));
  EXPECT_TRUE(present("users/u1/functions/f1/a.zip"));
  EXPECT_TRUE(present("elsewhere/not-ours.bin"));
}

TEST_F(BlobSweeperTest, ABlobThatBecomesReferencedIsForgotten) {
  BlobSweeper sweeper(*store_, *blobs_, seconds(60), [this] { return now_; });
  // The upload wrote its blob; its version row commits after the first sweep saw it.
  ASSERT_TRUE(blobs_->put("users/u1/functions/f2/b.zip", "in flight"));
  EXPECT_EQ(sweeper.sweepOnce()->unreferenced, 1);
  ASSERT_TRUE(store_->createFunction(
      store::Function{.id = "f2", .userId = "u1", .name = "two", .runtime = "python3.11",
                      .handler = "main.handler"},
      store::FunctionVersion{.functionId = "f2", .version = 1, .codeSha256 = "x",
                             .blobKey = "users/u1/functions/f2/b.zip"}));
  now_ += 3'600'000;
  auto report = sweeper.sweepOnce();
  EXPECT_EQ(report->unreferenced, 0);
  EXPECT_EQ(report->deleted, 0);
  // Deleting the function makes it a candidate again, from the time it is first seen so.
  ASSERT_TRUE(store_->deleteFunction("u1", "f2"));
  EXPECT_EQ(sweeper.sweepOnce()->deleted, 0);
  now_ += 60'000;
  EXPECT_EQ(sweeper.sweepOnce()->deleted, 1);
}

TEST_F(BlobSweeperTest, RunsInTheBackgroundAndStops) {
  BlobSweeper sweeper(*store_, *blobs_, seconds(0), [this] { return now_; });
  ASSERT_TRUE(blobs_->put("users/u1/functions/f3/c.zip", "orphan"));
  sweeper.start(seconds(0));
  for (int i = 0; i < 200 && present("users/u1/functions/f3/c.zip"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  sweeper.stop();
  EXPECT_FALSE(present("users/u1/functions/f3/c.zip"));
}

}  // namespace
}  // namespace stratus::api
