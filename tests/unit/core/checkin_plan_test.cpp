// When a responder on scene is asked "Are you OK?", and when their silence alerts others
// (core/checkin_plan.hpp): the steps from the anchor, ALL_OK moving it, OUT_SAFE and the
// incident's end stopping it, and the policy's fractional minutes.

#include "core/checkin_plan.hpp"

#include "core/clock.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace puente::core {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

const Clock::time_point t0 = Clock::time_point(std::chrono::milliseconds(1'800'000'000'000));

void add_ack(v1::Incident& incident, const std::string& who, v1::AckState state,
             Clock::time_point at) {
  auto* ack = incident.add_acks();
  ack->set_responder_id(who);
  ack->set_state(state);
  *ack->mutable_at() = to_timestamp(at);
}

v1::Incident confirmed_incident() {
  v1::Incident incident;
  incident.set_status(v1::CONFIRMED);
  return incident;
}

OnScenePolicy every_15_grace_5() { return OnScenePolicy{}; }

TEST(CheckinPlan, NothingBeforeOnScene) {
  auto incident = confirmed_incident();
  add_ack(incident, "obs", v1::EN_ROUTE, t0);
  auto plan = plan_checkin(checkin_facts(incident, "obs"), 0, every_15_grace_5());
  EXPECT_EQ(plan.outcome, CheckinPlan::Outcome::over);
}

TEST(CheckinPlan, AskThenFirstMissThenSecondMissThenNothing) {
  auto incident = confirmed_incident();
  add_ack(incident, "obs", v1::ON_SCENE, t0);
  const auto facts = checkin_facts(incident, "obs");
  const auto policy = every_15_grace_5();

  auto ask = plan_checkin(facts, 0, policy);
  ASSERT_EQ(ask.outcome, CheckinPlan::Outcome::step_due);
  EXPECT_EQ(ask.step, CheckinStep::ask);
  EXPECT_EQ(ask.due_at, t0 + 15min);
  EXPECT_FALSE(ask.due(t0 + 15min - 1ms));
  EXPECT_TRUE(ask.due(t0 + 15min));

  auto first = plan_checkin(facts, 1, policy);
  EXPECT_EQ(first.step, CheckinStep::first_miss);
  EXPECT_EQ(first.due_at, t0 + 20min);

  auto second = plan_checkin(facts, 2, policy);
  EXPECT_EQ(second.step, CheckinStep::second_miss);
  EXPECT_EQ(second.due_at, t0 + 25min);

  EXPECT_EQ(plan_checkin(facts, 3, policy).outcome, CheckinPlan::Outcome::over);
}

TEST(CheckinPlan, AllOkMovesTheAnchor) {
  auto incident = confirmed_incident();
  add_ack(incident, "obs", v1::ON_SCENE, t0);
  add_ack(incident, "obs", v1::ALL_OK, t0 + 16min);
  const auto facts = checkin_facts(incident, "obs");
  ASSERT_TRUE(facts.anchor);
  EXPECT_EQ(*facts.anchor, t0 + 16min);
  EXPECT_EQ(plan_checkin(facts, 0, every_15_grace_5()).due_at, t0 + 31min);
}

TEST(CheckinPlan, OutSafeEndsItUntilTheyAreOnSceneAgain) {
  auto incident = confirmed_incident();
  add_ack(incident, "obs", v1::ON_SCENE, t0);
  add_ack(incident, "obs", v1::OUT_SAFE, t0 + 5min);
  EXPECT_EQ(plan_checkin(checkin_facts(incident, "obs"), 0, every_15_grace_5()).outcome,
            CheckinPlan::Outcome::over);
  add_ack(incident, "obs", v1::ON_SCENE, t0 + 40min);
  EXPECT_EQ(plan_checkin(checkin_facts(incident, "obs"), 0, every_15_grace_5()).due_at, t0 + 55min);
}

TEST(CheckinPlan, TheIncidentsEndEndsIt) {
  auto incident = confirmed_incident();
  add_ack(incident, "obs", v1::ON_SCENE, t0);
  incident.set_status(v1::RESOLVED);
  EXPECT_EQ(plan_checkin(checkin_facts(incident, "obs"), 0, every_15_grace_5()).outcome,
            CheckinPlan::Outcome::over);
}

TEST(CheckinPlan, OthersAcksDoNotCount) {
  auto incident = confirmed_incident();
  add_ack(incident, "obs", v1::ON_SCENE, t0);
  add_ack(incident, "other", v1::ALL_OK, t0 + 10min);
  add_ack(incident, "other", v1::OUT_SAFE, t0 + 11min);
  auto facts = checkin_facts(incident, "obs");
  EXPECT_FALSE(facts.out);
  EXPECT_EQ(*facts.anchor, t0);
}

TEST(CheckinPlan, FractionalMinutesFromThePolicy) {
  auto policies = DispatchPolicies::from_toml(
      "[policy]\ncheckin_minutes = 0.05\ncheckin_grace_minutes = 0.025\n",
      [](std::string_view) { return true; });
  const auto& on_scene = policies.network().on_scene;
  EXPECT_EQ(on_scene.checkin_interval, 3s);
  EXPECT_EQ(on_scene.checkin_grace, 1500ms);
  auto incident = confirmed_incident();
  add_ack(incident, "obs", v1::ON_SCENE, t0);
  EXPECT_EQ(plan_checkin(checkin_facts(incident, "obs"), 2, on_scene).due_at, t0 + 6s);
}

TEST(CheckinPlan, BadPolicyValuesNameTheOption) {
  auto known = [](std::string_view) { return true; };
  for (const char* bad :
       {"[policy]\ncheckin_minutes = 0\n", "[policy]\ncheckin_minutes = -1\n",
        "[policy]\ncheckin_minutes = \"15\"\n", "[policy]\ncheckin_grace_minutes = 1441\n"}) {
    try {
      DispatchPolicies::from_toml(bad, known);
      ADD_FAILURE() << "accepted: " << bad;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("checkin"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace puente::core
