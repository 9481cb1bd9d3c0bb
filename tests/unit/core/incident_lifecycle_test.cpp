#include "core/incident_lifecycle.hpp"

#include <gtest/gtest.h>

namespace puente::core {
namespace {

TEST(IncidentLifecycle, ConfirmTakesAReportToConfirmedAndDispatches) {
  auto t = next_state(v1::REPORTED, IncidentStep::confirm);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->to, v1::CONFIRMED);
  EXPECT_EQ(t->alert, v1::DISPATCH);
}

TEST(IncidentLifecycle, ConfirmingTwiceIsRefused) {
  EXPECT_FALSE(next_state(v1::CONFIRMED, IncidentStep::confirm));
}

TEST(IncidentLifecycle, FalseAlarmDebunksFromEitherOpenState) {
  for (auto from : {v1::REPORTED, v1::CONFIRMED}) {
    auto t = next_state(from, IncidentStep::false_alarm);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->to, v1::FALSE_ALARM);
    EXPECT_EQ(t->alert, v1::DEBUNK);
  }
}

TEST(IncidentLifecycle, ResolveStandsDownFromEitherOpenState) {
  for (auto from : {v1::REPORTED, v1::CONFIRMED}) {
    auto t = next_state(from, IncidentStep::resolve);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->to, v1::RESOLVED);
    EXPECT_EQ(t->alert, v1::STAND_DOWN);
  }
}

TEST(IncidentLifecycle, UpdateKeepsTheStatus) {
  auto t = next_state(v1::CONFIRMED, IncidentStep::update);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->to, v1::CONFIRMED);
  EXPECT_EQ(t->alert, v1::UPDATE);
}

TEST(IncidentLifecycle, FinalStatesAllowNothing) {
  for (auto from : {v1::FALSE_ALARM, v1::RESOLVED, v1::INCIDENT_STATUS_UNSPECIFIED})
    for (auto step : {IncidentStep::confirm, IncidentStep::false_alarm, IncidentStep::resolve,
                      IncidentStep::update})
      EXPECT_FALSE(next_state(from, step))
          << v1::IncidentStatus_Name(from) << " " << to_string(step);
}

TEST(IncidentLifecycle, ReopenBringsAClosedIncidentBackWhereItWas) {
  for (auto from : {v1::FALSE_ALARM, v1::RESOLVED}) {
    auto reported = next_state(from, IncidentStep::reopen);
    ASSERT_TRUE(reported);
    EXPECT_EQ(reported->to, v1::REPORTED);
    EXPECT_EQ(reported->alert, v1::UPDATE);
    auto confirmed = next_state(from, IncidentStep::reopen, /*was_confirmed=*/true);
    ASSERT_TRUE(confirmed);
    EXPECT_EQ(confirmed->to, v1::CONFIRMED);
  }
  // An open incident is not reopened.
  EXPECT_FALSE(next_state(v1::REPORTED, IncidentStep::reopen));
  EXPECT_FALSE(next_state(v1::CONFIRMED, IncidentStep::reopen, true));
}

TEST(IncidentLifecycle, AMoveKeepsTheCallersWordsForThePlaceUnlessTheUpdateGivesItsOwn) {
  v1::Location was;
  was.set_lat(34.0335);
  was.set_lon(-118.211);
  was.set_description("car wash on César Chávez and Soto");
  v1::Location point;
  point.set_lat(34.0401);
  point.set_lon(-118.2151);
  auto kept = moved_location(was, point);
  EXPECT_EQ(kept.description(), "car wash on César Chávez and Soto");
  EXPECT_DOUBLE_EQ(kept.lat(), 34.0401);
  EXPECT_DOUBLE_EQ(kept.lon(), -118.2151);
  point.set_description("now at Hollenbeck Park");
  EXPECT_EQ(moved_location(was, point).description(), "now at Hollenbeck Park");
}

TEST(IncidentLifecycle, PathWordsRoundTrip) {
  for (auto step : {IncidentStep::confirm, IncidentStep::false_alarm, IncidentStep::resolve,
                    IncidentStep::update, IncidentStep::reopen})
    EXPECT_EQ(parse_incident_step(to_string(step)), step);
  EXPECT_FALSE(parse_incident_step("delete"));
}

TEST(IncidentLifecycle, VerifyGoesToLegalObserversOnly) {
  EXPECT_EQ(alert_audience(v1::VERIFY), std::vector<std::string>{"legal_observer"});
  EXPECT_TRUE(alert_audience(v1::DISPATCH).empty());
}

TEST(IncidentLifecycle, DefaultTextNamesTheNeighborhood) {
  EXPECT_EQ(default_alert_text(v1::VERIFY, v1::RAID, "Boyle Heights"),
            "Raid reported in Boyle Heights: go and verify");
}

}  // namespace
}  // namespace puente::core
