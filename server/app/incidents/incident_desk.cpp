#include "app/incidents/incident_desk.hpp"

#include "core/incident_lifecycle.hpp"

namespace puente::app {

bool IncidentDesk::is_action(std::string_view word) {
  return word == "evidence" || word == "approve" || core::parse_incident_step(word).has_value();
}

void IncidentDesk::act(const Caller& caller, const std::string& incident_id,
                       std::string_view action_word,
                       const std::optional<v1::IncidentAction>& action, Done<v1::Incident> done) {
  if (action_word == "evidence") {
    // No body, or an empty one ({}, as the CLI sends): the mark has nothing to say.
    if (action && (!action->text().empty() || action->has_location()))
      return done(
          Refusal{RefusalKind::unexpected_field, "marking evidence takes no text or location"}, {});
    return evidence_.mark(caller.who, incident_id, std::move(done));
  }
  if (action_word == "approve") {
    if (action && (!action->text().empty() || action->has_location()))
      return done(Refusal{RefusalKind::unexpected_field, "an approval takes no text or location"},
                  {});
    return approval_.approve(caller.who, incident_id, std::move(done));
  }
  auto step = core::parse_incident_step(action_word);
  if (!step) return done(Refusal::not_found("no such incident action"), {});
  dispatch_.advance(caller.who, incident_id, *step, action.value_or(v1::IncidentAction{}),
                    std::move(done));
}

}  // namespace puente::app
