#pragma once
// The front door of an action on an incident (confirm, false alarm, resolve, an update, and
// keeping it as evidence, approving one held past its neighborhood's cap): POST
// /v1/incidents/{id}/{action}. What the action's word and body may be is decided here, once; the
// sender's rights, the step and the store are the services' (DispatchService::advance,
// EvidenceService::mark). The transport decodes the body, calls act() and encodes the answer. The
// rate limit is the route's own (api_exchange.hpp): no other transport carries incident actions.

#include "app/access/caller.hpp"
#include "app/answer.hpp"
#include "app/incidents/approval_service.hpp"
#include "app/incidents/dispatch_service.hpp"
#include "app/incidents/evidence_service.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace puente::app {

class IncidentDesk {
 public:
  IncidentDesk(DispatchService& dispatch, EvidenceService& evidence, ApprovalService& approval)
      : dispatch_(dispatch), evidence_(evidence), approval_(approval) {}

  // Whether `word` names an action (checked before the body is read: a wrong path is 404).
  static bool is_action(std::string_view word);
  // `action_word`: the path's ("confirm", "false-alarm", "resolve", "updates", "evidence",
  // "approve");
  // `action`: the body, nullopt when there was none (an alert then gets its default text).
  // Answers the incident as the sender may see it after the action.
  void act(const Caller& caller, const std::string& incident_id, std::string_view action_word,
           const std::optional<v1::IncidentAction>& action, Done<v1::Incident> done);

 private:
  DispatchService& dispatch_;
  EvidenceService& evidence_;
  ApprovalService& approval_;
};

}  // namespace puente::app
