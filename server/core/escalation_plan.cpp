// The escalation plan (see escalation_plan.hpp for the rules it follows).
//
// Everything here is small sets of slugs and ids (tens of neighborhoods, tens of acks), kept as
// sorted vectors and std::set: clarity over speed, which nothing here needs.

#include "core/escalation_plan.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

namespace puente::core {

namespace {

// How far along an ack state takes a responder toward the scene.
int progress(v1::AckState state) {
  switch (state) {
    case v1::RECEIVED: return 1;
    case v1::EN_ROUTE: return 2;
    case v1::ON_SCENE: return 3;
    case v1::ALL_OK: return 3;  // a check-in answered: still on scene
    default: return 0;
  }
}

// OUT_SAFE: they left the scene.
bool withdraws(v1::AckState state) {
  return state == v1::DECLINED || state == v1::UNAVAILABLE || state == v1::OUT_SAFE;
}

// The neighborhoods a step with `audience` names, before removing those reached earlier.
std::vector<std::string> step_neighborhoods(EscalationAudience audience,
                                            const EscalationGeography& where) {
  switch (audience) {
    case EscalationAudience::adjacent: return where.adjacent;
    case EscalationAudience::region: return where.region;
    case EscalationAudience::dispatchers: return {};
  }
  return {};
}

StepAudience audience_of(const DispatchPolicy& policy, std::size_t step,
                         const EscalationGeography& where) {
  std::set<std::string> reached{where.neighborhood};
  for (std::size_t i = 0; i < step; ++i)
    for (auto& slug : step_neighborhoods(policy.escalation[i].audience, where))
      reached.insert(std::move(slug));

  StepAudience who;
  const EscalationAudience audience = policy.escalation[step].audience;
  for (auto& slug : step_neighborhoods(audience, where))
    if (reached.insert(slug).second) who.neighborhoods.push_back(std::move(slug));
  std::sort(who.neighborhoods.begin(), who.neighborhoods.end());
  who.reach.assign(reached.begin(), reached.end());
  who.standby_pool = audience == EscalationAudience::region;
  who.page_dispatchers = audience == EscalationAudience::dispatchers;
  return who;
}

}  // namespace

std::string_view to_string(EscalationPlan::Outcome outcome) {
  switch (outcome) {
    case EscalationPlan::Outcome::not_confirmed: return "not_confirmed";
    case EscalationPlan::Outcome::closed: return "closed";
    case EscalationPlan::Outcome::quorum_reached: return "quorum_reached";
    case EscalationPlan::Outcome::step_due: return "step_due";
    case EscalationPlan::Outcome::nothing_left: return "nothing_left";
  }
  return "unknown";
}

std::vector<std::string> quorum_members(const Quorum& quorum, const std::vector<AckRecord>& acks) {
  // Time order; acks at the same instant keep the order they were given in.
  std::vector<const AckRecord*> ordered;
  for (const auto& ack : acks) ordered.push_back(&ack);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const AckRecord* a, const AckRecord* b) { return a->at < b->at; });

  std::map<std::string, int> level;  // responder id -> progress
  for (const AckRecord* ack : ordered) {
    if (quorum.role &&
        std::find(ack->roles.begin(), ack->roles.end(), *quorum.role) == ack->roles.end())
      continue;
    int& current = level[ack->responder_id];
    current = withdraws(ack->state) ? 0 : std::max(current, progress(ack->state));
  }

  std::vector<std::string> members;
  const int needed = progress(quorum.state);
  for (const auto& [id, reached] : level)
    if (needed > 0 && reached >= needed && !id.empty()) members.push_back(id);
  return members;
}

EscalationPlan plan_escalation(const DispatchPolicy& policy, const EscalationGeography& where,
                               const EscalationState& incident) {
  EscalationPlan plan;
  plan.quorum_count = static_cast<int>(quorum_members(policy.quorum, incident.acks).size());
  using Outcome = EscalationPlan::Outcome;

  if (incident.status == v1::FALSE_ALARM || incident.status == v1::RESOLVED) {
    plan.outcome = Outcome::closed;
    return plan;
  }
  const bool dispatched = incident.status == v1::CONFIRMED ||
                          (incident.status == v1::REPORTED && !policy.verify_before_dispatch);
  if (!dispatched) {
    plan.outcome = Outcome::not_confirmed;
    return plan;
  }
  if (plan.quorum_count >= policy.quorum.count) {
    plan.outcome = Outcome::quorum_reached;
    return plan;
  }
  if (incident.steps_taken >= policy.escalation.size()) {
    plan.outcome = Outcome::nothing_left;
    return plan;
  }

  plan.outcome = Outcome::step_due;
  plan.step = incident.steps_taken;
  const EscalationStep& step = policy.escalation[plan.step];
  plan.audience = step.audience;
  plan.due_at = incident.confirmed_at + step.deadline;
  plan.who = audience_of(policy, plan.step, where);
  return plan;
}

std::vector<std::string> region_of(const GeoIndex& geo, std::string_view slug) {
  const Neighborhood* home = geo.find(slug);
  if (!home) return {};
  std::set<std::string> region;
  if (!home->region.empty())
    for (const auto& n : geo.neighborhoods())
      if (n.region == home->region) region.insert(n.slug);
  for (const auto& adjacent : home->adjacent) {
    region.insert(adjacent);
    if (const Neighborhood* next = geo.find(adjacent))
      region.insert(next->adjacent.begin(), next->adjacent.end());
  }
  region.erase(home->slug);
  return {region.begin(), region.end()};
}

EscalationGeography geography_of(const GeoIndex& geo, std::string_view slug) {
  EscalationGeography where;
  where.neighborhood = std::string(slug);
  if (const Neighborhood* home = geo.find(slug)) where.adjacent = home->adjacent;
  where.region = region_of(geo, slug);
  return where;
}

}  // namespace puente::core
