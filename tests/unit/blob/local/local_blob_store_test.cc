// The BlobStore contract on a local folder, plus what only a folder has: files on disk,
// temporary files, links planted by someone else.
#include "blob/local/local_blob_store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "unit/blob/blob_store_contract.h"
#include "testing/temp_dir.h"

namespace stratus::blob {
namespace {

using contract::BlobStoreContract;
using contract::BlobStoreFactory;
using stratus::testing::TempDir;

const std::filesystem::path& scratch() {
  static TempDir folder;
  return folder.path();
}

BlobStorePtr freshLocalStore() {
  static std::atomic<int> counter{0};
  auto store = openLocalBlobStore(scratch() / ("store-" + std::to_string(counter++)));
  if (!store) {
    ADD_FAILURE() << store.error().describe();
    return nullptr;
  }
  return std::move(*store);
}

INSTANTIATE_TEST_SUITE_P(LocalFolder, BlobStoreContract,
                         ::testing::Values(BlobStoreFactory(freshLocalStore)));

std::vector<std::string> filesUnder(const std::filesystem::path& root) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_directory()) files.push_back(entry.path().lexically_relative(root).string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class LocalBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = openLocalBlobStore(dir_.path() / "blobs");
    ASSERT_TRUE(opened) << opened.error().describe();
    store_ = std::move(*opened);
  }
  std::filesystem::path root() const { return dir_.path() / "blobs"; }

  TempDir dir_;
  BlobStorePtr store_;
};

TEST_F(LocalBlobStoreTest, OpenCreatesTheRoot) {
  EXPECT_TRUE(std::filesystem::is_directory(root()));
}

TEST_F(LocalBlobStoreTest, BlobsAreFilesAtTheirKeyAndNoTemporaryFilesRemain) {
  ASSERT_TRUE(store_->put("users/u1/functions/f1/a.zip", "one"));
  ASSERT_TRUE(store_->put("users/u1/functions/f1/a.zip", "two"));
  ASSERT_TRUE(store_->put("users/u1/functions/f2/b.zip", "three"));
  EXPECT_EQ(filesUnder(root()), (std::vector<std::string>{"users/u1/functions/f1/a.zip",
                                                          "users/u1/functions/f2/b.zip"}));
  std::ifstream file(root() / "users/u1/functions/f1/a.zip");
  std::string content((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "two");
}

TEST_F(LocalBlobStoreTest, ManyConcurrentOverwritesLeaveNoTemporaryFiles) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < 25; ++n)
        EXPECT_TRUE(store_->put("same/key", std::to_string(t * 100 + n)));
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(filesUnder(root()), std::vector<std::string>{"same/key"});
}

TEST_F(LocalBlobStoreTest, StrayTemporaryFilesAreNotListed) {
  ASSERT_TRUE(store_->put("a/real", "x"));
  std::ofstream(root() / "a" / "real.~tmp.abc123") << "half a blob";
  EXPECT_EQ(*store_->list("a/"), std::vector<std::string>{"a/real"});
}

TEST_F(LocalBlobStoreTest, PlantedSymlinksAreNotFollowed) {
  std::ofstream(dir_.path() / "secret") << "outside the store";
  std::filesystem::create_symlink(dir_.path() / "secret", root() / "link");
  EXPECT_FALSE(store_->get("link"));
  EXPECT_FALSE(*store_->exists("link"));
  EXPECT_TRUE(store_->list("")->empty());
}

TEST_F(LocalBlobStoreTest, AKeyCannotBeBothABlobAndAFolder) {
  ASSERT_TRUE(store_->put("a", "file"));
  auto under = store_->put("a/b", "x");
  ASSERT_FALSE(under);
  EXPECT_EQ(under.error().kind, ErrorKind::conflict);
  ASSERT_TRUE(store_->put("x/y", "file"));
  auto over = store_->put("x", "x");
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().kind, ErrorKind::conflict);
  EXPECT_EQ(*store_->get("a"), "file");
  EXPECT_EQ(*store_->get("x/y"), "file");
  EXPECT_EQ(filesUnder(root()), (std::vector<std::string>{"a", "x/y"}));
}

TEST_F(LocalBlobStoreTest, FailedPutKeepsTheOldBlob) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores folder permissions";
  ASSERT_TRUE(store_->put("locked/key", "old"));
  ASSERT_EQ(::chmod((root() / "locked").c_str(), 0555), 0);
  auto put = store_->put("locked/key", "new");
  ::chmod((root() / "locked").c_str(), 0755);
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().kind, ErrorKind::internal);
  EXPECT_EQ(put.error().message.find(root().string()), std::string::npos);
  EXPECT_EQ(*store_->get("locked/key"), "old");
}

}  // namespace
}  // namespace stratus::blob
