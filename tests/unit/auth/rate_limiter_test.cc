#include "auth/rate_limiter.h"

#include <gtest/gtest.h>

namespace stratus::auth {
namespace {

class RateLimiterTest : public ::testing::Test {
 protected:
  int64_t now_ = 1'000'000;
  RateLimiter limiter_{[this] { return now_; }, 1000};
  RatePolicy policy_{3, 1000, 8000, 60000};
};

TEST_F(RateLimiterTest, FreeEventsPassThenDelaysDoubleUpToTheCap) {
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(limiter_.retryAfterMs("k"), 0);
    limiter_.record("k", policy_);
  }
  EXPECT_EQ(limiter_.retryAfterMs("k"), 0);
  limiter_.record("k", policy_);  // 3rd: the free events are used up, the next waits 1 s
  EXPECT_EQ(limiter_.retryAfterMs("k"), 1000);
  now_ += 1000;
  EXPECT_EQ(limiter_.retryAfterMs("k"), 0);
  limiter_.record("k", policy_);  // 4th: 2 s
  EXPECT_EQ(limiter_.retryAfterMs("k"), 2000);
  now_ += 2000;
  limiter_.record("k", policy_);  // 5th: 4 s
  EXPECT_EQ(limiter_.retryAfterMs("k"), 4000);
  now_ += 4000;
  limiter_.record("k", policy_);  // 6th: 8 s (cap)
  now_ += 8000;
  limiter_.record("k", policy_);  // 7th: still 8 s
  EXPECT_EQ(limiter_.retryAfterMs("k"), 8000);
}

TEST_F(RateLimiterTest, KeysAreIndependent) {
  for (int i = 0; i < 3; ++i) limiter_.record("a", policy_);
  EXPECT_GT(limiter_.retryAfterMs("a"), 0);
  EXPECT_EQ(limiter_.retryAfterMs("b"), 0);
}

TEST_F(RateLimiterTest, QuietPeriodForgivesAndResetForgets) {
  for (int i = 0; i < 4; ++i) limiter_.record("a", policy_);
  now_ += 60000;
  limiter_.record("a", policy_);  // the count started over: free again
  EXPECT_EQ(limiter_.retryAfterMs("a"), 0);
  for (int i = 0; i < 4; ++i) limiter_.record("b", policy_);
  limiter_.reset("b");
  EXPECT_EQ(limiter_.retryAfterMs("b"), 0);
}

TEST_F(RateLimiterTest, FillingTheTableNeverLiftsAThrottleThatHasBitten) {
  for (int i = 0; i < 3; ++i) limiter_.record("victim", policy_);
  ASSERT_GT(limiter_.retryAfterMs("victim"), 0);
  // Someone sprays 5000 fresh keys into a table of 1000.
  for (int i = 0; i < 5000; ++i) limiter_.record("spray" + std::to_string(i), policy_);
  EXPECT_GT(limiter_.retryAfterMs("victim"), 0);
  EXPECT_EQ(limiter_.retryAfterMs("fresh"), 0);
}

TEST_F(RateLimiterTest, HugeCountsDoNotOverflow) {
  for (int i = 0; i < 200; ++i) limiter_.record("k", policy_);
  EXPECT_EQ(limiter_.retryAfterMs("k"), 8000);
}

}  // namespace
}  // namespace stratus::auth
