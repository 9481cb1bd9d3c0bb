// TokenBucket: a burst at once, then the rate; how long to wait; no limit at rate 0.

#include "core/token_bucket.hpp"

#include <gtest/gtest.h>

namespace puente::core {
namespace {

using namespace std::chrono_literals;

TEST(TokenBucket, ABurstGoesThroughThenTheRate) {
  const RateLimit limit{2, 3};  // 2 a second, 3 at once
  TokenBucket bucket;
  auto t = std::chrono::steady_clock::time_point{} + 1h;
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(bucket.take(limit, t)) << i;
  auto wait = bucket.take(limit, t);
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, 500ms);
  EXPECT_TRUE(bucket.take(limit, t + 400ms));   // not yet
  EXPECT_FALSE(bucket.take(limit, t + 500ms));  // one token came back
  EXPECT_FALSE(bucket.full(limit, t + 500ms));
  EXPECT_TRUE(bucket.full(limit, t + 2s));
}

TEST(TokenBucket, IdleTimeFillsItOnlyUpToTheBurst) {
  const RateLimit limit{10, 2};
  TokenBucket bucket;
  auto t = std::chrono::steady_clock::time_point{} + 1h;
  EXPECT_FALSE(bucket.take(limit, t));
  EXPECT_FALSE(bucket.take(limit, t + 1h));
  EXPECT_FALSE(bucket.take(limit, t + 1h));
  EXPECT_TRUE(bucket.take(limit, t + 1h));
}

TEST(TokenBucket, RateZeroLimitsNothing) {
  TokenBucket bucket;
  auto t = std::chrono::steady_clock::now();
  for (int i = 0; i < 1000; ++i) ASSERT_FALSE(bucket.take(RateLimit{0, 1}, t));
}

}  // namespace
}  // namespace puente::core
