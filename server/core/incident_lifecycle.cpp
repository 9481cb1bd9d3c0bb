#include "core/incident_lifecycle.hpp"

namespace puente::core {

std::optional<IncidentStep> parse_incident_step(std::string_view word) {
  if (word == "confirm") return IncidentStep::confirm;
  if (word == "false-alarm") return IncidentStep::false_alarm;
  if (word == "resolve") return IncidentStep::resolve;
  if (word == "updates") return IncidentStep::update;
  if (word == "reopen") return IncidentStep::reopen;
  return std::nullopt;
}

std::string_view to_string(IncidentStep step) {
  switch (step) {
    case IncidentStep::confirm: return "confirm";
    case IncidentStep::false_alarm: return "false-alarm";
    case IncidentStep::resolve: return "resolve";
    case IncidentStep::update: return "updates";
    case IncidentStep::reopen: return "reopen";
  }
  return "unknown";
}

bool is_open(v1::IncidentStatus status) {
  return status == v1::REPORTED || status == v1::CONFIRMED;
}

std::optional<Transition> next_state(v1::IncidentStatus from, IncidentStep step,
                                     bool was_confirmed) {
  if (step == IncidentStep::reopen) {
    if (from != v1::FALSE_ALARM && from != v1::RESOLVED) return std::nullopt;
    return Transition{was_confirmed ? v1::CONFIRMED : v1::REPORTED, v1::UPDATE};
  }
  if (!is_open(from)) return std::nullopt;
  switch (step) {
    case IncidentStep::confirm:
      if (from != v1::REPORTED) return std::nullopt;
      return Transition{v1::CONFIRMED, v1::DISPATCH};
    case IncidentStep::false_alarm: return Transition{v1::FALSE_ALARM, v1::DEBUNK};
    case IncidentStep::resolve: return Transition{v1::RESOLVED, v1::STAND_DOWN};
    case IncidentStep::update: return Transition{from, v1::UPDATE};
    case IncidentStep::reopen: return std::nullopt;  // handled above
  }
  return std::nullopt;
}

v1::Location moved_location(const v1::Location& was, const v1::Location& point) {
  v1::Location now = point;
  if (now.description().empty()) now.set_description(was.description());
  return now;
}

std::vector<std::string> alert_audience(v1::AlertType type) {
  if (type == v1::VERIFY) return {"legal_observer"};
  return {};
}

namespace {

std::string kind_words(v1::ReportKind kind) {
  switch (kind) {
    case v1::RAID: return "Raid";
    case v1::CHECKPOINT: return "Checkpoint";
    case v1::ARREST: return "Arrest";
    case v1::PATROL: return "Agents";
    case v1::SURVEILLANCE: return "Surveillance";
    default: return "Activity";
  }
}

}  // namespace

std::string default_alert_text(v1::AlertType type, v1::ReportKind kind,
                               std::string_view neighborhood_name) {
  std::string what = kind_words(kind);
  std::string where(neighborhood_name);
  switch (type) {
    case v1::VERIFY: return what + " reported in " + where + ": go and verify";
    case v1::DISPATCH: return what + " confirmed in " + where + ": respond now";
    case v1::UPDATE: return "Update on " + what + " in " + where;
    case v1::DEBUNK: return "False alarm in " + where + ": do not go";
    case v1::STAND_DOWN: return "Over in " + where + ": stand down, get home safe";
    default: return what + " in " + where;
  }
}

}  // namespace puente::core
