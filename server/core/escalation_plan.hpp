#pragma once
// The escalation plan: after an incident is confirmed, what to do now about too few people on
// scene. A pure function of the policy, the incident's state and its geography; the caller
// (app) keeps the timers in Redis, takes the step when it falls due and calls again.
//
//   FALSE_ALARM or RESOLVED            -> closed: nothing escalates any more
//   REPORTED, and the policy verifies  -> not_confirmed: nothing escalates yet (with
//   before dispatch                       verify_before_dispatch off, the report itself went
//                                         out as DISPATCH, and a REPORTED incident escalates)
//   quorum reached                     -> quorum_reached: stop, for good
//   steps left                         -> step_due: policy.escalation[steps_taken], due at
//                                         confirmed_at + its deadline (maybe already past: a
//                                         node that was down takes it late, none is skipped)
//   every step taken                   -> nothing_left
//
// Quorum: each responder's acks, in time order, move them along RECEIVED < EN_ROUTE < ON_SCENE;
// DECLINED or UNAVAILABLE takes them back to nothing (they left, or will not come). So the
// automatic RECEIVED a client sends for a later alert never undoes an ON_SCENE, and an observer
// who leaves the scene stops counting. Acks from before the confirmation count: the observer
// who verified the report is on scene.
//
// Audiences: each step alerts the neighborhoods no earlier step of the policy reached (nor the
// incident's own), so nobody gets the same escalation twice. "adjacent" reaches the touching
// neighborhoods; "region" the wider region (region_of) and the standby pool; "dispatchers"
// pages the dispatchers.

#include "core/dispatch_policy.hpp"
#include "core/geo_index.hpp"
#include "puente/v1/puente.pb.h"

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace puente::core {

struct AckRecord {
  std::string responder_id;
  std::vector<Role> roles;  // the responder's roles, from the roster
  v1::AckState state = v1::ACK_STATE_UNSPECIFIED;
  std::chrono::system_clock::time_point at;
};

// Where the incident is, as the GeoIndex sees it now (an update may move it).
struct EscalationGeography {
  std::string neighborhood;
  std::vector<std::string> adjacent;  // Neighborhood::adjacent
  std::vector<std::string> region;    // region_of(geo, neighborhood)
};

struct EscalationState {
  v1::IncidentStatus status = v1::INCIDENT_STATUS_UNSPECIFIED;
  // When DISPATCH went out: the confirmation, or the report when the policy does not verify
  // first. Deadlines count from here.
  std::chrono::system_clock::time_point confirmed_at;
  std::vector<AckRecord> acks;  // every ack on the incident so far, any order
  std::size_t steps_taken = 0;  // escalation steps already taken (they go in policy order)
};

struct StepAudience {
  std::vector<std::string> neighborhoods;  // alert their on-call responders; sorted
  std::vector<std::string> reach;  // every neighborhood reached up to this step, the incident's
                                   // own included: what standby_pool() is given; sorted
  bool standby_pool = false;       // also alert standby_pool(roster, reach, ...)
  bool page_dispatchers = false;   // also page dispatchers_on_call(...)
};

struct EscalationPlan {
  enum class Outcome { not_confirmed, closed, quorum_reached, step_due, nothing_left };

  Outcome outcome = Outcome::not_confirmed;
  int quorum_count = 0;  // responders who count toward the quorum now (for the board)
  // Set for step_due only:
  std::size_t step = 0;  // index into policy.escalation
  EscalationAudience audience = EscalationAudience::adjacent;
  std::chrono::system_clock::time_point due_at;
  StepAudience who;

  bool due(std::chrono::system_clock::time_point now) const {
    return outcome == Outcome::step_due && due_at <= now;
  }
};

std::string_view to_string(EscalationPlan::Outcome outcome);

EscalationPlan plan_escalation(const DispatchPolicy& policy, const EscalationGeography& where,
                               const EscalationState& incident);

// Ids of the responders who count toward `quorum` after `acks` (see the top of this file),
// sorted.
std::vector<std::string> quorum_members(const Quorum& quorum, const std::vector<AckRecord>& acks);

// The region of a neighborhood, for the "region" step: the neighborhoods that share its region
// property, together with every neighborhood within two adjacency steps, itself excluded;
// sorted. Both, because the LA Times regions range from 3 neighborhoods (the City's
// "eastside": Boyle Heights, El Sereno, Lincoln Heights, all touching one another, so the
// region alone would add nobody after the adjacent step) to 31 (San Fernando Valley), and a
// file without regions still gets a wider circle. Empty for an unknown slug.
std::vector<std::string> region_of(const GeoIndex& geo, std::string_view slug);

// The geography plan_escalation() needs, from the index; an unknown slug gives empty lists.
EscalationGeography geography_of(const GeoIndex& geo, std::string_view slug);

}  // namespace puente::core
