#pragma once
// The incident state machine, and which alert each step sends.
//
//   REPORTED --confirm--> CONFIRMED           alert DISPATCH to every on-call responder
//   REPORTED | CONFIRMED --false_alarm--> FALSE_ALARM   alert DEBUNK
//   REPORTED | CONFIRMED --resolve--> RESOLVED          alert STAND_DOWN
//   REPORTED | CONFIRMED --update--> (unchanged)        alert UPDATE
//   FALSE_ALARM | RESOLVED --reopen--> CONFIRMED if it was confirmed, else REPORTED
//                                                       alert UPDATE (with the dispatcher's why)
// A new report opens an incident in REPORTED and sends VERIFY to legal observers only: a
// report reaches volunteers only once someone verified it. FALSE_ALARM and RESOLVED end it; only
// a dispatcher's reopen (one closed by mistake) brings it back, telling everyone alerted.

#include "puente/v1/puente.pb.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace puente::core {

enum class IncidentStep { confirm, false_alarm, resolve, update, reopen };

// "confirm", "false-alarm", "resolve", "updates", "reopen" (the HTTP path words); nullopt
// otherwise.
std::optional<IncidentStep> parse_incident_step(std::string_view path_word);
std::string_view to_string(IncidentStep step);

struct Transition {
  v1::IncidentStatus to;
  v1::AlertType alert;
};

// The transition `step` makes from `from`, or nullopt when the step is not allowed there.
// `was_confirmed`: the incident had been confirmed before it closed (a reopen goes back there).
std::optional<Transition> next_state(v1::IncidentStatus from, IncidentStep step,
                                     bool was_confirmed = false);

// Where an incident is after an update moved it to `point`: the new coordinates, with the
// caller's words for the place kept when the update gave none (an observer's phone sends only
// coordinates), and the update's words when it gave some.
v1::Location moved_location(const v1::Location& was, const v1::Location& point);

bool is_open(v1::IncidentStatus status);

// Roles an alert of this type goes to: VERIFY to legal observers only; the rest to everyone.
// Empty means everyone (see Alert.audience).
std::vector<std::string> alert_audience(v1::AlertType type);

// The text responders read when the dispatcher gave none: short, in plain words, with the
// neighborhood's name ("RAID reported in Boyle Heights: go and verify").
std::string default_alert_text(v1::AlertType type, v1::ReportKind kind,
                               std::string_view neighborhood_name);

}  // namespace puente::core
