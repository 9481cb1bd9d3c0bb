// Quiet phones (core/quiet_phone.hpp): heard from lately, nudged once per quiet spell, stale
// after the nudge, dropped past drop_after; a contact after a nudge starts a new spell.
#include "core/quiet_phone.hpp"

#include "core/clock.hpp"

#include <gtest/gtest.h>

namespace puente::core {
namespace {

using namespace std::chrono_literals;

const auto now = std::chrono::system_clock::time_point(std::chrono::hours(500000));
const QuietRules rules{48h, 21 * 24h};

v1::PushSubscription phone(std::chrono::hours quiet_for) {
  v1::PushSubscription p;
  *p.mutable_created_at() = to_timestamp(now - 40 * 24h);
  *p.mutable_last_contact_at() = to_timestamp(now - quiet_for);
  return p;
}

TEST(QuietPhone, HeardFromLatelyIsLeftAlone) {
  EXPECT_EQ(quiet_phone(phone(47h), now, rules), QuietPhone::heard_from);
  EXPECT_FALSE(is_stale(phone(47h), now, rules));
}

TEST(QuietPhone, QuietIsNudgedOnceThenStale) {
  auto p = phone(49h);
  EXPECT_EQ(quiet_phone(p, now, rules), QuietPhone::nudge);
  *p.mutable_nudged_at() = to_timestamp(now - 1h);
  EXPECT_EQ(quiet_phone(p, now, rules), QuietPhone::stale);
  EXPECT_TRUE(is_stale(p, now, rules));
  // A nudge from an earlier quiet spell does not count for this one.
  *p.mutable_nudged_at() = to_timestamp(now - 60h);
  EXPECT_EQ(quiet_phone(p, now, rules), QuietPhone::nudge);
}

TEST(QuietPhone, QuietPastDropAfterIsDropped) {
  EXPECT_EQ(quiet_phone(phone(21 * 24h), now, rules), QuietPhone::drop);
}

TEST(QuietPhone, ANewPhoneCountsFromItsSubscription) {
  v1::PushSubscription p;
  *p.mutable_created_at() = to_timestamp(now - 1h);
  EXPECT_EQ(quiet_phone(p, now, rules), QuietPhone::heard_from);
}

}  // namespace
}  // namespace puente::core
