// Retention as plain time arithmetic: the purge's cutoff, the stream id a trim keeps from, how
// long idempotency keys and alert history live, and what evidence keeps of a report.

#include "core/retention.hpp"

#include "core/clock.hpp"

#include <gtest/gtest.h>

namespace puente::core {
namespace {

using namespace std::chrono_literals;

const Clock::time_point noon{std::chrono::milliseconds(1'700'000'000'000)};

TEST(Retention, TheCutoffIsTheRetentionBeforeNow) {
  EXPECT_EQ(purge_cutoff(noon, 72h), noon - 72h);
  EXPECT_EQ(purge_cutoff(noon, 3s), noon - 3s);
}

TEST(Retention, AStreamIsTrimmedFromTheFirstIdOfTheCutoffsMillisecond) {
  EXPECT_EQ(stream_min_id(noon), "1700000000000-0");
  EXPECT_EQ(stream_min_id(noon + 1ms), "1700000000001-0");
  // A cutoff before 1970 (a retention longer than the clock's age) trims nothing.
  EXPECT_EQ(stream_min_id(Clock::time_point{} - 1h), "0-0");
}

TEST(Retention, IdempotencyKeysLiveADayOrTheRetentionIfShorter) {
  EXPECT_EQ(idempotency_ttl(72h), 24h);
  EXPECT_EQ(idempotency_ttl(24h), 24h);
  EXPECT_EQ(idempotency_ttl(5s), 5s);
}

TEST(Retention, AlertHistoryNeverOutlivesTheRetention) {
  EXPECT_EQ(history_age_limit(std::chrono::hours(7 * 24), 72h), 72h);
  EXPECT_EQ(history_age_limit(1h, 72h), 1h);
}

TEST(Retention, EvidenceKeepsTheReportButNotTheCallersContact) {
  v1::Report report;
  report.set_id("rep-1");
  report.set_description("three vans at the car wash");
  report.set_caller_hash(std::string(64, 'a'));
  report.set_caller_phone("3235550142");
  EXPECT_TRUE(strip_caller_contact(report));
  EXPECT_TRUE(report.caller_hash().empty());
  EXPECT_TRUE(report.caller_phone().empty());
  EXPECT_EQ(report.description(), "three vans at the car wash");
  EXPECT_EQ(report.id(), "rep-1");
  // Nothing left to strip: unchanged, and said so.
  auto before = report.SerializeAsString();
  EXPECT_FALSE(strip_caller_contact(report));
  EXPECT_EQ(report.SerializeAsString(), before);
}

}  // namespace
}  // namespace puente::core
