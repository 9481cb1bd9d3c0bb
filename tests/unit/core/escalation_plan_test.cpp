// Escalation plans: every outcome, the quorum's counting rules, audiences that never repeat a
// neighborhood, and the region on the real LA neighborhoods (read from PUENTE_LA_DATA).

#include "core/escalation_plan.hpp"

#include <gmock/gmock.h>
#include "la_data.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace puente::core {
namespace {

using test::kLaData;
using test::la_city;
using test::read_file;

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;
using Outcome = EscalationPlan::Outcome;

const Clock::time_point kConfirmed = Clock::time_point{} + 1'800'000'000s;

const std::vector<Role> kObserver = {Role::legal_observer};
const std::vector<Role> kVolunteer = {Role::volunteer};

AckRecord ack(const std::string& who, const std::vector<Role>& roles, v1::AckState state,
              Clock::duration after_confirmation) {
  return AckRecord{who, roles, state, kConfirmed + after_confirmation};
}

// A small made-up geography: "home" touches a and b; the region adds b (again), c and d.
EscalationGeography small_world() {
  return EscalationGeography{"home", {"a", "b"}, {"b", "c", "d"}};
}

EscalationState confirmed(std::vector<AckRecord> acks = {}, std::size_t steps_taken = 0) {
  return EscalationState{v1::CONFIRMED, kConfirmed, std::move(acks), steps_taken};
}

TEST(EscalationPlan, NothingEscalatesBeforeConfirmation) {
  EscalationState reported = confirmed();
  reported.status = v1::REPORTED;
  EXPECT_EQ(plan_escalation(DispatchPolicy{}, small_world(), reported).outcome,
            Outcome::not_confirmed);
}

TEST(EscalationPlan, WithoutVerificationAReportedIncidentEscalates) {
  DispatchPolicy no_verify;
  no_verify.verify_before_dispatch = false;
  EscalationState reported = confirmed();
  reported.status = v1::REPORTED;
  const EscalationPlan plan = plan_escalation(no_verify, small_world(), reported);
  EXPECT_EQ(plan.outcome, Outcome::step_due);
  EXPECT_EQ(plan.due_at, kConfirmed + 10min);
  reported.status = v1::INCIDENT_STATUS_UNSPECIFIED;
  EXPECT_EQ(plan_escalation(no_verify, small_world(), reported).outcome, Outcome::not_confirmed);
}

TEST(EscalationPlan, FalseAlarmOrResolvedStopsIt) {
  for (auto status : {v1::FALSE_ALARM, v1::RESOLVED}) {
    EscalationState closed = confirmed();
    closed.status = status;
    EXPECT_EQ(plan_escalation(DispatchPolicy{}, small_world(), closed).outcome, Outcome::closed);
  }
}

TEST(EscalationPlan, FirstStepIsDueAtItsDeadlineAfterConfirmation) {
  const EscalationPlan plan = plan_escalation(DispatchPolicy{}, small_world(), confirmed());
  ASSERT_EQ(plan.outcome, Outcome::step_due);
  EXPECT_EQ(plan.step, 0u);
  EXPECT_EQ(plan.audience, EscalationAudience::adjacent);
  EXPECT_EQ(plan.due_at, kConfirmed + 10min);
  EXPECT_FALSE(plan.due(kConfirmed + 10min - 1s));
  EXPECT_TRUE(plan.due(kConfirmed + 10min));
  EXPECT_THAT(plan.who.neighborhoods, ElementsAre("a", "b"));
  EXPECT_THAT(plan.who.reach, ElementsAre("a", "b", "home"));
  EXPECT_FALSE(plan.who.standby_pool);
  EXPECT_FALSE(plan.who.page_dispatchers);
  EXPECT_EQ(plan.quorum_count, 0);
}

TEST(EscalationPlan, SecondStepReachesTheRegionNotAlreadyAlertedAndTheStandbyPool) {
  const EscalationPlan plan =
      plan_escalation(DispatchPolicy{}, small_world(), confirmed({}, /*steps_taken=*/1));
  ASSERT_EQ(plan.outcome, Outcome::step_due);
  EXPECT_EQ(plan.step, 1u);
  EXPECT_EQ(plan.audience, EscalationAudience::region);
  EXPECT_EQ(plan.due_at, kConfirmed + 20min);
  EXPECT_THAT(plan.who.neighborhoods, ElementsAre("c", "d"));  // b had the adjacent step
  EXPECT_THAT(plan.who.reach, ElementsAre("a", "b", "c", "d", "home"));
  EXPECT_TRUE(plan.who.standby_pool);
  EXPECT_FALSE(plan.who.page_dispatchers);
}

TEST(EscalationPlan, ThirdStepPagesTheDispatchers) {
  const EscalationPlan plan = plan_escalation(DispatchPolicy{}, small_world(), confirmed({}, 2));
  ASSERT_EQ(plan.outcome, Outcome::step_due);
  EXPECT_EQ(plan.audience, EscalationAudience::dispatchers);
  EXPECT_EQ(plan.due_at, kConfirmed + 30min);
  EXPECT_THAT(plan.who.neighborhoods, IsEmpty());
  EXPECT_TRUE(plan.who.page_dispatchers);
  EXPECT_FALSE(plan.who.standby_pool);
}

TEST(EscalationPlan, NothingLeftAfterTheLastStep) {
  EXPECT_EQ(plan_escalation(DispatchPolicy{}, small_world(), confirmed({}, 3)).outcome,
            Outcome::nothing_left);
  DispatchPolicy none;
  none.escalation.clear();
  EXPECT_EQ(plan_escalation(none, small_world(), confirmed()).outcome, Outcome::nothing_left);
}

TEST(EscalationPlan, AStepPastItsDeadlineIsStillDueNotSkipped) {
  // A node that was down for 25 minutes comes back: step 0 is due (late), then step 1.
  const auto now = kConfirmed + 25min;
  const EscalationPlan first = plan_escalation(DispatchPolicy{}, small_world(), confirmed());
  EXPECT_EQ(first.step, 0u);
  EXPECT_TRUE(first.due(now));
  const EscalationPlan second = plan_escalation(DispatchPolicy{}, small_world(), confirmed({}, 1));
  EXPECT_EQ(second.step, 1u);
  EXPECT_TRUE(second.due(now));
  EXPECT_FALSE(plan_escalation(DispatchPolicy{}, small_world(), confirmed({}, 2)).due(now));
}

TEST(EscalationPlan, QuorumReachedStopsAtAnyStep) {
  const std::vector<AckRecord> acks = {ack("obs-maria", kObserver, v1::ON_SCENE, 3min),
                                       ack("obs-jose", kObserver, v1::ON_SCENE, 12min)};
  for (std::size_t taken = 0; taken <= 3; ++taken) {
    const EscalationPlan plan =
        plan_escalation(DispatchPolicy{}, small_world(), confirmed(acks, taken));
    EXPECT_EQ(plan.outcome, Outcome::quorum_reached) << taken;
    EXPECT_EQ(plan.quorum_count, 2);
  }
}

TEST(EscalationPlan, OneShortOfQuorumKeepsEscalating) {
  const std::vector<AckRecord> acks = {ack("obs-maria", kObserver, v1::ON_SCENE, 3min),
                                       ack("obs-jose", kObserver, v1::EN_ROUTE, 4min),
                                       ack("vol-ana", kVolunteer, v1::ON_SCENE, 5min)};
  const EscalationPlan plan = plan_escalation(DispatchPolicy{}, small_world(), confirmed(acks));
  EXPECT_EQ(plan.outcome, Outcome::step_due);
  EXPECT_EQ(plan.quorum_count, 1);
}

TEST(Quorum, CountsDistinctRespondersOfTheRoleAtOrPastTheState) {
  const Quorum observers_on_scene;  // 2 legal observers ON_SCENE
  const std::vector<AckRecord> acks = {
      ack("obs-maria", kObserver, v1::ON_SCENE, 1min),
      ack("obs-maria", kObserver, v1::ON_SCENE, 2min),  // the same person twice counts once
      ack("vol-ana", kVolunteer, v1::ON_SCENE, 2min),   // not the role
      ack("obs-jose", kObserver, v1::EN_ROUTE, 2min),   // not there yet
  };
  EXPECT_THAT(quorum_members(observers_on_scene, acks), ElementsAre("obs-maria"));

  Quorum anyone_en_route{3, std::nullopt, v1::EN_ROUTE};
  EXPECT_THAT(quorum_members(anyone_en_route, acks),
              ElementsAre("obs-jose", "obs-maria", "vol-ana"));
}

TEST(Quorum, AutomaticReceivedNeverUndoesOnScene) {
  // The observer verified (ON_SCENE), then the DISPATCH alert arrived and the client sent
  // RECEIVED for it.
  const std::vector<AckRecord> acks = {ack("obs-maria", kObserver, v1::ON_SCENE, -5min),
                                       ack("obs-maria", kObserver, v1::RECEIVED, 0min)};
  EXPECT_THAT(quorum_members(Quorum{}, acks), ElementsAre("obs-maria"));
}

TEST(Quorum, LeavingTheSceneWithdrawsAndComingBackCounts) {
  std::vector<AckRecord> acks = {ack("obs-maria", kObserver, v1::ON_SCENE, 1min),
                                 ack("obs-maria", kObserver, v1::UNAVAILABLE, 8min)};
  EXPECT_THAT(quorum_members(Quorum{}, acks), IsEmpty());
  acks.push_back(ack("obs-maria", kObserver, v1::ON_SCENE, 15min));
  EXPECT_THAT(quorum_members(Quorum{}, acks), ElementsAre("obs-maria"));
  // Order of the input does not matter; time does.
  std::reverse(acks.begin(), acks.end());
  EXPECT_THAT(quorum_members(Quorum{}, acks), ElementsAre("obs-maria"));
  acks.push_back(ack("obs-maria", kObserver, v1::DECLINED, 20min));
  EXPECT_THAT(quorum_members(Quorum{}, acks), IsEmpty());
}

TEST(EscalationPlan, EachStepSkipsNeighborhoodsOfEarlierStepsOnly) {
  // Region first, then adjacent: the adjacent step adds only what the region lacked.
  DispatchPolicy policy;
  policy.escalation = {{60s, EscalationAudience::region}, {120s, EscalationAudience::adjacent}};
  const EscalationPlan region = plan_escalation(policy, small_world(), confirmed());
  EXPECT_THAT(region.who.neighborhoods, ElementsAre("b", "c", "d"));
  const EscalationPlan adjacent = plan_escalation(policy, small_world(), confirmed({}, 1));
  EXPECT_THAT(adjacent.who.neighborhoods, ElementsAre("a"));
  // A region step alone includes adjacent neighborhoods that belong to the region.
  policy.escalation = {{60s, EscalationAudience::region}};
  const EscalationGeography home_in_region{"home", {"a"}, {"a", "home", "z"}};
  EXPECT_THAT(plan_escalation(policy, home_in_region, confirmed()).who.neighborhoods,
              ElementsAre("a", "z"));
}

TEST(EscalationPlan, OutcomeNames) {
  EXPECT_EQ(to_string(Outcome::quorum_reached), "quorum_reached");
  EXPECT_EQ(to_string(Outcome::step_due), "step_due");
  EXPECT_EQ(to_string(Outcome::nothing_left), "nothing_left");
}

// A file without region properties (or a custom property name) still gets a wider circle: the
// neighborhoods two adjacency steps away.
TEST(RegionOf, SharedRegionPropertyPlusTheSecondRing) {
  // Five unit squares in a row, a-b-c-d-e; "a" and "e" share region "ends".
  const auto square = [](int x) {
    const std::string x0 = std::to_string(x), x1 = std::to_string(x + 1);
    return "[[[" + x0 + ",0],[" + x1 + ",0],[" + x1 + ",1],[" + x0 + ",1],[" + x0 + ",0]]]";
  };
  const auto feature = [&](const std::string& slug, int x, const std::string& area) {
    return R"({"type":"Feature","properties":{"slug":")" + slug + R"(","area":")" + area +
           R"("},"geometry":{"type":"Polygon","coordinates":)" + square(x) + "}}";
  };
  const std::string doc = R"({"type":"FeatureCollection","features":[)" + feature("a", 0, "ends") +
                          "," + feature("b", 1, "") + "," + feature("c", 2, "middle") + "," +
                          feature("d", 3, "") + "," + feature("e", 4, "ends") + "]}";

  const GeoIndex by_area = GeoIndex::from_geojson(doc, GeoFieldNames{"slug", "name", "area"});
  EXPECT_EQ(by_area.find("a")->region, "ends");
  EXPECT_EQ(by_area.find("b")->region, "");
  EXPECT_THAT(region_of(by_area, "a"), ElementsAre("b", "c", "e"));
  EXPECT_THAT(region_of(by_area, "c"), ElementsAre("a", "b", "d", "e"));

  // Under the default property name ("region") no feature has one: the second ring only.
  const GeoIndex plain = GeoIndex::from_geojson(doc);
  EXPECT_EQ(plain.find("a")->region, "");
  EXPECT_THAT(region_of(plain, "a"), ElementsAre("b", "c"));
  EXPECT_THAT(region_of(plain, "atlantis"), IsEmpty());
}

// --- The real LA neighborhoods ----------------------------------------------------------------

// What the City file's polygons say. The City file has no East Los Angeles: that is an
// unincorporated county area, only in the county file (see the next test).
TEST(EscalationPlanLa, BoyleHeightsNeighborsOnTheCityFile) {
  EXPECT_EQ(la_city().find("east-los-angeles"), nullptr);
  const Neighborhood* boyle = la_city().find("boyle-heights");
  ASSERT_NE(boyle, nullptr);
  EXPECT_EQ(boyle->region, "eastside");
  const EscalationGeography where = geography_of(la_city(), "boyle-heights");
  EXPECT_EQ(where.neighborhood, "boyle-heights");
  EXPECT_THAT(where.adjacent, ElementsAre("chinatown", "downtown", "el-sereno", "lincoln-heights"));
  // The City's eastside is Boyle Heights, El Sereno and Lincoln Heights; the rest of the region
  // is the second ring.
  EXPECT_THAT(where.region,
              ElementsAre("central-alameda", "chinatown", "cypress-park", "downtown", "echo-park",
                          "el-sereno", "elysian-park", "highland-park", "historic-south-central",
                          "lincoln-heights", "montecito-heights", "pico-union", "university-park",
                          "westlake"));
}

TEST(EscalationPlanLa, BoyleHeightsEscalatesToNeighborsThenTheWiderRegion) {
  const EscalationGeography where = geography_of(la_city(), "boyle-heights");
  const EscalationPlan adjacent = plan_escalation(DispatchPolicy{}, where, confirmed());
  EXPECT_THAT(adjacent.who.neighborhoods,
              ElementsAre("chinatown", "downtown", "el-sereno", "lincoln-heights"));
  const EscalationPlan region = plan_escalation(DispatchPolicy{}, where, confirmed({}, 1));
  EXPECT_THAT(region.who.neighborhoods,
              ElementsAre("central-alameda", "cypress-park", "echo-park", "elysian-park",
                          "highland-park", "historic-south-central", "montecito-heights",
                          "pico-union", "university-park", "westlake"));
  EXPECT_EQ(region.who.reach.size(), 15u);
}

TEST(EscalationPlanLa, UnknownSlugHasNoGeography) {
  const EscalationGeography where = geography_of(la_city(), "atlantis");
  EXPECT_THAT(where.adjacent, IsEmpty());
  EXPECT_THAT(where.region, IsEmpty());
}

// The county file holds East Los Angeles, and its polygon does touch Boyle Heights; so do the
// cities of Commerce and Vernon. (The county file takes about 3 s to load under the sanitizers.)
TEST(EscalationPlanLa, BoyleHeightsTouchesEastLosAngelesOnTheCountyFile) {
  const GeoIndex county =
      GeoIndex::from_geojson(read_file(kLaData + "/la-county-only-neighborhoods-v6.geojson"));
  const Neighborhood* east_la = county.find("east-los-angeles");
  ASSERT_NE(east_la, nullptr);
  EXPECT_EQ(east_la->region, "eastside");
  const EscalationGeography where = geography_of(county, "boyle-heights");
  EXPECT_THAT(where.adjacent, ElementsAre("chinatown", "commerce", "downtown", "east-los-angeles",
                                          "el-sereno", "lincoln-heights", "vernon"));
  EXPECT_THAT(where.region,
              ElementsAre("alhambra", "bell", "bell-gardens", "central-alameda", "chinatown",
                          "commerce", "cypress-park", "downey", "downtown", "east-los-angeles",
                          "echo-park", "el-sereno", "elysian-park", "highland-park",
                          "historic-south-central", "huntington-park", "lincoln-heights", "maywood",
                          "montebello", "montecito-heights", "monterey-park", "pico-rivera",
                          "pico-union", "south-pasadena", "university-park", "vernon", "westlake"));
}

}  // namespace
}  // namespace puente::core
