#include "api/invocation_buckets.h"

#include <gtest/gtest.h>

namespace stratus::api {
namespace {

store::InvocationSample sample(int64_t startedAt, int64_t durationMs, std::string status = "ok") {
  return {startedAt, durationMs, std::move(status)};
}

TEST(NearestRankPercentile, IsAlwaysOneOfTheValues) {
  EXPECT_FALSE(nearestRankPercentile({}, 50));
  EXPECT_EQ(nearestRankPercentile({7}, 50), 7);
  EXPECT_EQ(nearestRankPercentile({7}, 99), 7);
  // Ranks: p50 of 4 values is ceil(2) = 2nd; p99 is ceil(3.96) = 4th.
  EXPECT_EQ(nearestRankPercentile({40, 10, 30, 20}, 50), 20);
  EXPECT_EQ(nearestRankPercentile({40, 10, 30, 20}, 99), 40);
  // Of 5, p50 is the 3rd (ceil 2.5), never the mean of two.
  EXPECT_EQ(nearestRankPercentile({5, 1, 4, 2, 3}, 50), 3);
  std::vector<int64_t> hundred;
  for (int i = 1; i <= 100; ++i) hundred.push_back(i);
  EXPECT_EQ(nearestRankPercentile(hundred, 99), 99);
  EXPECT_EQ(nearestRankPercentile(hundred, 100), 100);
  EXPECT_FALSE(nearestRankPercentile(hundred, 0));
  EXPECT_FALSE(nearestRankPercentile(hundred, 101));
}

TEST(Summarise, CountsErrorsAndFindsTheNewest) {
  auto empty = summarise({});
  EXPECT_EQ(empty.calls, 0);
  EXPECT_FALSE(empty.p50Ms);
  EXPECT_FALSE(empty.lastStartedAt);
  auto summary = summarise({sample(300, 10), sample(200, 30, "error"), sample(100, 20, "timeout"),
                            sample(50, 5, "killed")});
  EXPECT_EQ(summary.calls, 4);
  EXPECT_EQ(summary.errors, 3);
  EXPECT_EQ(summary.p50Ms, 10);
  EXPECT_EQ(summary.lastStartedAt, 300);
}

TEST(MetricsWindow, OnlyTheTwoWindows) {
  auto hour = metricsWindow("1h");
  ASSERT_TRUE(hour);
  EXPECT_EQ(hour->bucketMs, 60'000);
  EXPECT_EQ(hour->count, 60);
  auto day = metricsWindow("24h");
  ASSERT_TRUE(day);
  EXPECT_EQ(day->bucketMs, 900'000);
  EXPECT_EQ(day->count, 96);
  for (auto name : {"", "1d", "7d", "1H", "60m"}) EXPECT_FALSE(metricsWindow(name)) << name;
}

TEST(WindowRange, EndsWithTheBucketHoldingNow) {
  auto hour = *metricsWindow("1h");
  auto range = windowRange(hour, 1'700'000'012'345);
  EXPECT_EQ(range.to, 1'700'000'040'000);  // the minute after 1'699'999'980'000
  EXPECT_EQ(range.to % 60'000, 0);
  EXPECT_EQ(range.to - range.from, 60 * 60'000);
  // On a boundary, now starts the last bucket.
  auto exact = windowRange(hour, 1'699'999'980'000);
  EXPECT_EQ(exact.to, 1'700'000'040'000);
}

TEST(Bucketise, EveryBucketOldestFirstWithItsOwnCalls) {
  MetricsWindow window{"test", 1000, 3};
  TimeRange range{10'000, 13'000};
  auto buckets = bucketise({sample(12'999, 50), sample(12'000, 10, "error"), sample(10'000, 7),
                            sample(9'999, 1000), sample(13'000, 1000)},
                           window, range);
  ASSERT_EQ(buckets.size(), 3u);
  EXPECT_EQ(buckets[0].start, 10'000);
  EXPECT_EQ(buckets[0].calls, 1);
  EXPECT_EQ(buckets[0].p50Ms, 7);
  EXPECT_EQ(buckets[1].start, 11'000);
  EXPECT_EQ(buckets[1].calls, 0);
  EXPECT_EQ(buckets[1].errors, 0);
  EXPECT_FALSE(buckets[1].p50Ms);
  EXPECT_FALSE(buckets[1].p99Ms);
  EXPECT_EQ(buckets[2].calls, 2);
  EXPECT_EQ(buckets[2].errors, 1);
  EXPECT_EQ(buckets[2].p50Ms, 10);
  EXPECT_EQ(buckets[2].p99Ms, 50);
}

}  // namespace
}  // namespace stratus::api
