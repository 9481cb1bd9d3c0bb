#pragma once
// Who an alert goes to: the decision, as a function of the roster, the clock and the incident.
//
//   VERIFY             the legal observers on call for the neighborhood
//   DISPATCH, ESCALATE every responder on call for the neighborhood (observers, volunteers,
//                      attorneys, counselors); never operators, whose job is the phone
//   UPDATE, DEBUNK,    everyone already alerted for the incident in that neighborhood: who
//   STAND_DOWN         went needs to hear it is over, whoever is on call now
// "On call" is on_call_for(): on shift now, or set available by their own word.

#include "core/roster.hpp"
#include "core/time_zone.hpp"
#include "puente/v1/puente.pb.h"

#include <chrono>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace puente::core {

// Responders (sorted by id) a new VERIFY, DISPATCH or ESCALATE alert of `neighborhood` reaches.
std::vector<const Responder*> fresh_recipients(const Roster& roster, std::string_view neighborhood,
                                               v1::AlertType type,
                                               std::chrono::system_clock::time_point now,
                                               const TimeZone& zone,
                                               const std::set<std::string>& available);

// Responders (ids, sorted) alerted so far for `incident` in `neighborhood`.
std::vector<std::string> alerted_recipients(const v1::Incident& incident,
                                            std::string_view neighborhood);

// Responders (ids, sorted) a VERIFY, DISPATCH or ESCALATE of `incident` went to, in any
// neighborhood: the people asked to come, whom intake counts after a report (issue 20). Views
// into `incident`'s alerts, valid while it is unchanged: a report's answer counts a hundred of
// them, and copying each id was a tenth of counting them (issue 22).
std::vector<std::string_view> asked_to_come(const v1::Incident& incident);

// True for the alert types that go to who was alerted before rather than who is on call now.
bool follows_up(v1::AlertType type);

}  // namespace puente::core
