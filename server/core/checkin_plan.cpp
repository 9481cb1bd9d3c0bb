// The check-in decision (checkin_plan.hpp): plain data in, the next step out.

#include "core/checkin_plan.hpp"

#include "core/clock.hpp"
#include "core/incident_lifecycle.hpp"

namespace puente::core {

bool starts_checkins(v1::AckState state) { return state == v1::ON_SCENE || state == v1::ALL_OK; }

CheckinFacts checkin_facts(const v1::Incident& incident, const std::string& responder_id) {
  CheckinFacts facts;
  facts.incident_open = is_open(incident.status());
  // The latest by time: acks arrive through several nodes and a journal replay.
  std::optional<std::chrono::system_clock::time_point> out_at;
  for (const auto& ack : incident.acks()) {
    if (ack.responder_id() != responder_id) continue;
    const auto at = to_time_point(ack.at());
    if (starts_checkins(ack.state()) && (!facts.anchor || at >= *facts.anchor)) facts.anchor = at;
    if (ack.state() == v1::OUT_SAFE && (!out_at || at > *out_at)) out_at = at;
  }
  facts.out = out_at && facts.anchor && *out_at >= *facts.anchor;
  return facts;
}

CheckinPlan plan_checkin(const CheckinFacts& facts, int steps_taken, const OnScenePolicy& policy) {
  CheckinPlan plan;
  if (!facts.incident_open || !facts.anchor || facts.out || steps_taken >= kCheckinSteps ||
      steps_taken < 0)
    return plan;
  plan.outcome = CheckinPlan::Outcome::step_due;
  plan.step = static_cast<CheckinStep>(steps_taken + 1);
  // Step 1 at anchor + I; each later one a grace period after the one before.
  plan.due_at = *facts.anchor + policy.checkin_interval + steps_taken * policy.checkin_grace;
  return plan;
}

}  // namespace puente::core
