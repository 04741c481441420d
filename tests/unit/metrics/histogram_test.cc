#include "metrics/histogram.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace stratus::metrics {
namespace {

TEST(Histogram, BoundsAreInclusiveAndBucketsCumulative) {
  Histogram h({0.1, 0.5, 1});
  h.observe(0.05);  // <= 0.1
  h.observe(0.1);   // exactly on a bound: counted in it ("le" is "less or equal")
  h.observe(0.3);   // <= 0.5
  h.observe(1);     // <= 1
  h.observe(7);     // only +Inf
  auto s = h.snapshot();
  EXPECT_EQ(s.cumulative, (std::vector<uint64_t>{2, 3, 4, 5}));
  EXPECT_EQ(s.count, 5u);
  EXPECT_DOUBLE_EQ(s.sum, 0.05 + 0.1 + 0.3 + 1 + 7);
}

TEST(Histogram, NegativeAndInfiniteValues) {
  Histogram h({0, 1});
  h.observe(-3);
  h.observe(std::numeric_limits<double>::infinity());
  auto s = h.snapshot();
  EXPECT_EQ(s.cumulative, (std::vector<uint64_t>{1, 1, 2}));
}

TEST(Histogram, NaNIsIgnoredSoTheSumStaysUsable) {
  Histogram h({1});
  h.observe(0.5);
  h.observe(std::nan(""));
  auto s = h.snapshot();
  EXPECT_EQ(s.count, 1u);
  EXPECT_DOUBLE_EQ(s.sum, 0.5);
}

TEST(Histogram, NoBoundsMeansOnlyTheInfBucket) {
  Histogram h({});
  h.observe(3);
  EXPECT_EQ(h.snapshot().cumulative, (std::vector<uint64_t>{1}));
}

TEST(Histogram, BucketValidation) {
  EXPECT_TRUE(isValidBuckets({}));
  EXPECT_TRUE(isValidBuckets(defaultLatencyBuckets()));
  EXPECT_FALSE(isValidBuckets({1, 1}));
  EXPECT_FALSE(isValidBuckets({2, 1}));
  EXPECT_FALSE(isValidBuckets({1, std::numeric_limits<double>::infinity()}));
  EXPECT_FALSE(isValidBuckets({std::nan("")}));
}

}  // namespace
}  // namespace stratus::metrics
