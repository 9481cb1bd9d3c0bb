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

TEST(StreamOffset, BeforeATimeIsJustBeforeItsFirstPossibleId) {
  auto before = StreamOffset::before_time(1700000000000);
  EXPECT_LT(before, (StreamOffset{1700000000000, 0}));
  EXPECT_GT(before, (StreamOffset{1699999999999, 999999}));
  EXPECT_EQ(before.str(), "1699999999999-18446744073709551615");
  EXPECT_EQ(StreamOffset::parse(before.str()), before);  // a page of history can start after it
  EXPECT_EQ(StreamOffset::before_time(0), StreamOffset{});
}

}  // namespace
}  // namespace puente::core
