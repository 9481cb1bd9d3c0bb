// Who may do what. Deny by default: an action missing from the switch is refused.

#include "core/access.hpp"

namespace puente::core {

namespace {

// Dispatchers run the board; admins may do everything a dispatcher may.
bool is_staff(const Responder& who) {
  return who.has_role(Role::dispatcher) || who.has_role(Role::admin);
}

// The on-call roles that receive alerts for the neighborhoods they cover.
bool is_field_responder(const Responder& who) {
  return who.has_role(Role::legal_observer) || who.has_role(Role::volunteer) ||
         who.has_role(Role::attorney) || who.has_role(Role::counselor);
}

bool covers_incident(const Responder& who, const IncidentContext& incident) {
  return !incident.neighborhood.empty() && who.covers(incident.neighborhood);
}

// An observer confirms (or says where it moved) what they have seen themselves: on scene, in
// their own area.
bool observer_on_scene(const Responder& who, const IncidentContext& incident) {
  return who.has_role(Role::legal_observer) && covers_incident(who, incident) &&
         incident.responder_on_scene;
}

}  // namespace

bool may(const Responder& who, Action action, const IncidentContext& incident) {
  switch (action) {
    case Action::submit_report:
      return is_staff(who) || who.has_role(Role::operator_) || who.has_role(Role::legal_observer);
    case Action::list_incidents:
      // Field responders list only what they may view one by one (the list is filtered with
      // view_incident): a client reloads them after a gap in its alert history.
      return is_staff(who) || is_field_responder(who);
    case Action::false_alarm:
    case Action::resolve:
    case Action::mark_evidence:
    case Action::watch_board: return is_staff(who);
    case Action::view_incident:
    case Action::ack:
    case Action::attach_media:
      // The people alerted for an incident are the field responders of its neighborhood; they
      // may see it and answer it. An operator's neighborhoods (if any) grant neither.
      return is_staff(who) || (is_field_responder(who) && covers_incident(who, incident));
    case Action::confirm:
      // A confirmation dispatches every responder of the neighborhood: it takes a second pair
      // of eyes on scene, so the observer who reported it cannot confirm it alone.
      return is_staff(who) || (observer_on_scene(who, incident) && !incident.responder_reported);
    case Action::post_update:
      // An observer says where it moved within the neighborhoods they cover; alerting another
      // neighborhood's responders is a dispatcher's call.
      return is_staff(who) || (observer_on_scene(who, incident) &&
                               (incident.moving_to.empty() || who.covers(incident.moving_to)));
    case Action::read_media:
      // Faces and plates of people at a raid: counsel and the board, not every responder.
      return is_staff(who) || (who.has_role(Role::attorney) && covers_incident(who, incident));
    case Action::read_geography: return !who.has_role(Role::metrics);
    case Action::search_address:
      // Each search costs the network's geocoder: the people who place a report, not everyone.
      return is_staff(who) || who.has_role(Role::operator_);
    case Action::administer: return who.has_role(Role::admin);
    case Action::read_metrics: return who.has_role(Role::admin) || who.has_role(Role::metrics);
    case Action::use_api:
      // A scraper's token, kept on a monitoring host, opens nothing but /metrics.
      return !who.has_role(Role::metrics);
  }
  return false;
}

bool answers_alerts(const Responder& who) { return is_staff(who) || is_field_responder(who); }

AckReach ack_reach(const Responder& who) {
  if (is_staff(who)) return {true, {}};
  if (is_field_responder(who)) return {false, who.neighborhoods};
  return {};
}

std::optional<std::string> refusal_reason(const Responder& who, Action action,
                                          const IncidentContext& incident) {
  if (action == Action::confirm && incident.responder_reported && observer_on_scene(who, incident))
    return "you reported this incident: another observer on scene or a dispatcher must confirm it";
  if (action == Action::post_update && !incident.moving_to.empty() &&
      observer_on_scene(who, incident))
    return "only a dispatcher may move an incident into " + std::string(incident.moving_to) +
           ", a neighborhood you do not cover";
  return std::nullopt;
}

bool may_subscribe(const Responder& who, std::string_view neighborhood) {
  return is_staff(who) || (!neighborhood.empty() && who.covers(neighborhood));
}

}  // namespace puente::core
