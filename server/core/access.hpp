#pragma once
// Who may do what: the role table of DESIGN.md as functions of plain data.

#include "core/roster.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace puente::core {

enum class Action {
  submit_report,   // operator, dispatcher, legal_observer
  list_incidents,  // dispatcher, admin; field responders (filtered by view_incident)
  view_incident,   // dispatcher, admin; a responder who covers the incident's neighborhood
  confirm,         // dispatcher, admin; a legal observer covering it who acked ON_SCENE and
                   // filed none of its reports (a report needs a second pair of eyes)
  false_alarm,     // dispatcher, admin
  resolve,         // dispatcher, admin
  mark_evidence,  // dispatcher, admin: keep an incident past the retention, caller contact stripped
  post_update,    // dispatcher, admin; a legal observer covering it who acked ON_SCENE, and
                  // who covers the neighborhood it moves into, if it moves
  ack,            // any responder role covering the neighborhood; dispatcher, admin
  watch_board,    // dispatcher, admin
  read_geography,  // anyone with a token but a scraper (metrics)
  administer,      // admin: bearer tokens (issue, list, revoke) and the audit log
  read_metrics,    // admin, metrics: GET /metrics, which shows live when raids are reported
  use_api,         // every role but metrics: any other route, a WebSocket
  // Media and evidence (docs/evidence.md), added at the end:
  attach_media,  // who may view the incident (staff; its neighborhood's field responders)
  read_media,    // dispatcher, admin; an attorney covering the incident's neighborhood: the
                 // media and the evidence bundle (what observers filmed is for counsel)
  // Address search (issue 20), added at the end:
  search_address,  // operator, dispatcher, admin: POST /v1/geocode, for intake and the board
};

// Facts about the incident an action touches; ignored by actions not about one.
struct IncidentContext {
  std::string_view neighborhood;
  bool responder_on_scene = false;  // this responder has acked ON_SCENE for the incident
  bool responder_reported = false;  // this responder filed one of the incident's reports
  // An update's new neighborhood when its location leaves `neighborhood`; empty otherwise.
  std::string_view moving_to = {};
};

bool may(const Responder& who, Action action, const IncidentContext& incident = {});

// May `who` ack anything at all: a field responder role, a dispatcher or an admin? What may(ack)
// decides for one incident needs the incident; this needs only the roster, so an ack that no
// incident could take (an operator's) is refused even while Redis is away.
bool answers_alerts(const Responder& who);

// Where `who` may ack an alert that was not sent to them: what may(who, Action::ack, {n})
// answers for every neighborhood n at once, so the check can be made inside the store's ack
// step (store/lua/record_ack.lua) without reading the incident first. Anyone an alert went to
// may ack it whatever this says.
struct AckReach {
  bool anywhere = false;                   // staff: every neighborhood
  std::vector<std::string> neighborhoods;  // else these (a field responder's own); none for others
};
AckReach ack_reach(const Responder& who);

// Why may() refuses `who` the action, in words a 403 can carry, when the reason is more than the
// role or the area (a reporter confirming their own report, a move out of their area);
// nullopt otherwise. Call it only once may() said no.
std::optional<std::string> refusal_reason(const Responder& who, Action action,
                                          const IncidentContext& incident);

// May `who` receive the live alerts of `neighborhood`? Dispatchers and admins: any;
// everyone else: the neighborhoods the roster gives them.
bool may_subscribe(const Responder& who, std::string_view neighborhood);

}  // namespace puente::core
