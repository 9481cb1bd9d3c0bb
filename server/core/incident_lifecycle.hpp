#pragma once
// The incident state machine, and which alert each step sends.
//
//   REPORTED --confirm--> CONFIRMED           alert DISPATCH to every on-call responder
//   REPORTED | CONFIRMED --false_alarm--> FALSE_ALARM   alert DEBUNK
//   REPORTED | CONFIRMED --resolve--> RESOLVED          alert STAND_DOWN
//   REPORTED | CONFIRMED --update--> (unchanged)        alert UPDATE
// A new report opens an incident in REPORTED and sends VERIFY to legal observers only: a
// report reaches volunteers only once someone verified it. FALSE_ALARM and RESOLVED are final.

#include "puente/v1/puente.pb.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace puente::core {

enum class IncidentStep { confirm, false_alarm, resolve, update };

// "confirm", "false-alarm", "resolve", "updates" (the HTTP path words); nullopt otherwise.
std::optional<IncidentStep> parse_incident_step(std::string_view path_word);
std::string_view to_string(IncidentStep step);

struct Transition {
  v1::IncidentStatus to;
  v1::AlertType alert;
};

// The transition `step` makes from `from`, or nullopt when the step is not allowed there.
std::optional<Transition> next_state(v1::IncidentStatus from, IncidentStep step);

bool is_open(v1::IncidentStatus status);

// Roles an alert of this type goes to: VERIFY to legal observers only; the rest to everyone.
// Empty means everyone (see Alert.audience).
std::vector<std::string> alert_audience(v1::AlertType type);

// The text responders read when the dispatcher gave none: short, in plain words, with the
// neighborhood's name ("RAID reported in Boyle Heights: go and verify").
std::string default_alert_text(v1::AlertType type, v1::ReportKind kind,
                               std::string_view neighborhood_name);

}  // namespace puente::core
