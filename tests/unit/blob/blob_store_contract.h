// The BlobStore contract: every implementation runs these tests unchanged.
//
// Include this header from exactly one .cc per test binary and instantiate it there with a
// factory that returns a fresh, empty store for each test:
//
//   INSTANTIATE_TEST_SUITE_P(S3, BlobStoreContract,
//                            ::testing::Values(BlobStoreFactory([] { return ...; })));
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "blob/blob_store.h"

namespace stratus::blob::contract {

using BlobStoreFactory = std::function<BlobStorePtr()>;

class BlobStoreContract : public ::testing::TestWithParam<BlobStoreFactory> {
 protected:
  void SetUp() override {
    store_ = GetParam()();
    // A factory whose backend is missing here (no s3rver) skips with the reason.
    if (IsSkipped()) return;
    ASSERT_NE(store_, nullptr);
  }
  BlobStore& store() { return *store_; }

  std::vector<std::string> list(std::string_view prefix) {
    auto listed = store().list(prefix);
    EXPECT_TRUE(listed) << listed.error().describe();
    return listed ? *listed : std::vector<std::string>{};
  }

  BlobStorePtr store_;
};

inline std::string binaryBlob(std::size_t size) {
  std::string data(size, '\0');
  for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<char>((i * 131 + 7) % 256);
  return data;
}

TEST_P(BlobStoreContract, PutThenGetReturnsTheSameBytes) {
  const std::string data = binaryBlob(70'000);  // NULs and high bytes included
  ASSERT_TRUE(store().put("users/u1/functions/f1/abc.zip", data));
  auto got = store().get("users/u1/functions/f1/abc.zip");
  ASSERT_TRUE(got) << got.error().describe();
  EXPECT_EQ(*got, data);
}

TEST_P(BlobStoreContract, EmptyBlobIsABlob) {
  ASSERT_TRUE(store().put("empty", ""));
  auto got = store().get("empty");
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->empty());
  EXPECT_TRUE(*store().exists("empty"));
}

TEST_P(BlobStoreContract, LargeBlobRoundTrips) {
  const std::string data = binaryBlob(8u << 20);
  ASSERT_TRUE(store().put("big/blob.zip", data));
  auto got = store().get("big/blob.zip");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->size(), data.size());
  EXPECT_TRUE(*got == data);
}

TEST_P(BlobStoreContract, MissingBlobIsNotFound) {
  auto got = store().get("users/nobody/x.zip");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().kind, ErrorKind::not_found);
  ASSERT_TRUE(store().put("users/somebody/x.zip", "x"));
  // A prefix of a key is not a blob.
  EXPECT_EQ(store().get("users/somebody").error().kind, ErrorKind::not_found);
  EXPECT_FALSE(*store().exists("users/somebody"));
}

TEST_P(BlobStoreContract, PutOverwritesWholly) {
  ASSERT_TRUE(store().put("k", std::string(10'000, 'a')));
  ASSERT_TRUE(store().put("k", "short"));
  EXPECT_EQ(*store().get("k"), "short");
  EXPECT_EQ(list(""), std::vector<std::string>{"k"});
}

TEST_P(BlobStoreContract, ExistsTellsPresentFromAbsent) {
  ASSERT_TRUE(store().put("a/b.zip", "x"));
  EXPECT_TRUE(*store().exists("a/b.zip"));
  EXPECT_FALSE(*store().exists("a/c.zip"));
  EXPECT_FALSE(*store().exists("z/z/z.zip"));
}

TEST_P(BlobStoreContract, RemoveDeletesAndAbsentIsFine) {
  ASSERT_TRUE(store().put("a/b.zip", "x"));
  ASSERT_TRUE(store().put("a/c.zip", "y"));
  ASSERT_TRUE(store().remove("a/b.zip"));
  EXPECT_FALSE(*store().exists("a/b.zip"));
  EXPECT_EQ(store().get("a/b.zip").error().kind, ErrorKind::not_found);
  EXPECT_TRUE(store().remove("a/b.zip"));
  EXPECT_TRUE(store().remove("never/was.zip"));
  EXPECT_EQ(*store().get("a/c.zip"), "y");
}

TEST_P(BlobStoreContract, ListIsByStringPrefixAndSorted) {
  for (const char* key :
       {"users/u2/functions/f9/z.zip", "users/u1/functions/f2/b.zip", "users/u1/functions/f1/a.zip",
        "users/u10/functions/f1/c.zip", "other/thing"}) {
    ASSERT_TRUE(store().put(key, key));
  }
  EXPECT_EQ(list("users/u1/"), (std::vector<std::string>{"users/u1/functions/f1/a.zip",
                                                         "users/u1/functions/f2/b.zip"}));
  // A prefix need not end at a folder boundary.
  EXPECT_EQ(list("users/u1"),
            (std::vector<std::string>{"users/u1/functions/f1/a.zip", "users/u1/functions/f2/b.zip",
                                      "users/u10/functions/f1/c.zip"}));
  EXPECT_EQ(list("users/u1/functions/f1/a.zip"),
            std::vector<std::string>{"users/u1/functions/f1/a.zip"});
  EXPECT_EQ(list("").size(), 5u);
  EXPECT_EQ(list("").front(), "other/thing");
  EXPECT_TRUE(list("nothing/").empty());
  EXPECT_TRUE(list("users/u3").empty());
}

TEST_P(BlobStoreContract, RemovedBlobsLeaveTheListing) {
  ASSERT_TRUE(store().put("p/a", "1"));
  ASSERT_TRUE(store().put("p/b", "2"));
  ASSERT_TRUE(store().remove("p/a"));
  EXPECT_EQ(list("p/"), std::vector<std::string>{"p/b"});
}

TEST_P(BlobStoreContract, InvalidKeysAreRefusedEverywhere) {
  ASSERT_TRUE(store().put("safe/key", "x"));
  for (const char* key : {"", "/etc/passwd", "../outside", "a/../b", "a/./b", ".", "..", "a//b",
                          "a/", "a\\b", "a b", "caf\xc3\xa9", "a/b~", "a:b"}) {
    SCOPED_TRACE(key);
    EXPECT_EQ(store().put(key, "x").error().kind, ErrorKind::invalid_argument);
    EXPECT_EQ(store().get(key).error().kind, ErrorKind::invalid_argument);
    EXPECT_EQ(store().remove(key).error().kind, ErrorKind::invalid_argument);
    EXPECT_EQ(store().exists(key).error().kind, ErrorKind::invalid_argument);
  }
  for (const char* prefix : {"/", "../", "a/../", "a//", "a\\"}) {
    SCOPED_TRACE(prefix);
    EXPECT_EQ(store().list(prefix).error().kind, ErrorKind::invalid_argument);
  }
  EXPECT_EQ(list(""), std::vector<std::string>{"safe/key"});
}

TEST_P(BlobStoreContract, ConcurrentPutsOfDifferentKeysAllLand) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 20;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < kPerThread; ++n) {
        const std::string key = "users/u" + std::to_string(t) + "/b" + std::to_string(n);
        if (!store().put(key, key)) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(list("users/").size(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_EQ(*store().get("users/u3/b7"), "users/u3/b7");
}

// Readers racing an overwrite see the old blob or the new one, never a mix or a part.
TEST_P(BlobStoreContract, ReadersNeverSeeAPartialPut) {
  const std::string first(1u << 20, 'a');
  const std::string second((1u << 20) + 4096, 'b');
  ASSERT_TRUE(store().put("race", first));
  std::atomic<bool> done{false};
  std::atomic<int> torn{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      while (!done) {
        auto got = store().get("race");
        if (!got || (*got != first && *got != second)) ++torn;
      }
    });
  }
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(store().put("race", i % 2 == 0 ? second : first));
  done = true;
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_EQ(list(""), std::vector<std::string>{"race"});
}

}  // namespace stratus::blob::contract
