#pragma once
// When a responder on scene is asked "Are you OK?", and when their silence alerts others: the
// decision, as a function of their acks and the policy (docs/on-scene.md).
//
// The anchor is their latest ON_SCENE or ALL_OK ack for the incident. From it, with the
// policy's interval I and grace G ([policy] checkin_minutes, checkin_grace_minutes):
//
//   step 1  anchor + I        ask: CHECK_IN to them
//   step 2  anchor + I + G    first miss: CHECK_IN_MISSED to the dispatchers, and ask again
//   step 3  anchor + I + 2G   second miss: CHECK_IN_MISSED to the dispatchers and the
//                             neighborhood's on-call attorneys
//
// then nothing more until they answer. ALL_OK moves the anchor (the steps start over); OUT_SAFE
// after the anchor ends it; so does the incident's end. The steps taken are counted per anchor
// in the store, so a step claimed twice (a lease that ran out) is taken once.

#include "core/dispatch_policy.hpp"
#include "puente/v1/puente.pb.h"

#include <chrono>
#include <optional>
#include <string>

namespace puente::core {

enum class CheckinStep { ask = 1, first_miss = 2, second_miss = 3 };
inline constexpr int kCheckinSteps = 3;

// What the acks say of one responder's check-ins at one incident.
struct CheckinFacts {
  bool incident_open = true;
  std::optional<std::chrono::system_clock::time_point> anchor;  // latest ON_SCENE or ALL_OK
  bool out = false;                                             // OUT_SAFE since the anchor
};

// From the incident's acks (kept oldest first per responder).
CheckinFacts checkin_facts(const v1::Incident& incident, const std::string& responder_id);

struct CheckinPlan {
  enum class Outcome { over, step_due } outcome = Outcome::over;
  CheckinStep step = CheckinStep::ask;
  std::chrono::system_clock::time_point due_at{};

  bool due(std::chrono::system_clock::time_point now) const { return now >= due_at; }
};

// `steps_taken`: for this anchor (0 to kCheckinSteps).
CheckinPlan plan_checkin(const CheckinFacts& facts, int steps_taken, const OnScenePolicy& policy);

// Whether an ack of `state` starts (or restarts) a responder's check-ins: ON_SCENE, ALL_OK.
bool starts_checkins(v1::AckState state);

}  // namespace puente::core
