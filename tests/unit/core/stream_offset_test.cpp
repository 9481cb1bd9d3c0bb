#include "core/stream_offset.hpp"

#include <gtest/gtest.h>

namespace puente::core {
namespace {

TEST(StreamOffset, ParsesRedisStreamIds) {
  auto o = StreamOffset::parse("1700000000000-3");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->ms, 1700000000000u);
  EXPECT_EQ(o->seq, 3u);
  EXPECT_EQ(o->str(), "1700000000000-3");
  EXPECT_EQ(StreamOffset::parse("42"), (StreamOffset{42, 0}));
}

TEST(StreamOffset, RefusesAnythingElse) {
  for (auto bad : {"", "-", "1-", "-1", "a-1", "1-b", "1-2-3", " 1-2", "99999999999999999999-0"})
    EXPECT_FALSE(StreamOffset::parse(bad)) << bad;
}

TEST(StreamOffset, ComparesNumericallyNotAsText) {
  EXPECT_LT(*StreamOffset::parse("9-0"), *StreamOffset::parse("10-0"));
  EXPECT_LT(*StreamOffset::parse("10-2"), *StreamOffset::parse("10-10"));
}

}  // namespace
}  // namespace puente::core
