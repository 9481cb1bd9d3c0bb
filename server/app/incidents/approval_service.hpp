#pragma once
// Planted reports (issue 19 item 4): the dispatcher's approval of an incident held past its
// neighborhood's cap of new unverified incidents ([policy] unverified_cap; the hold itself is
// decided in the store's open step, lua/open_incident.lua).
//
// POST /v1/incidents/{id}/approve, dispatchers and admins only: the incident's first alert goes
// out now, as it would have when it was reported (VERIFY, or DISPATCH with its escalation
// deadline where the policy does not verify first), to whoever is on call now, and the approval
// is audited ("incident.approve"). An incident that is not held is 409 and changes nothing.
// A confirm, false alarm or resolve also settles a held incident (advance_incident.lua).
//
// Until then a held incident is for dispatchers only: redact_for's callers leave it out of what
// anyone else may list or view (is_hidden_from).

#include "app/access/audit_trail.hpp"
#include "app/answer.hpp"
#include "app/incidents/availability_copy.hpp"
#include "app/node/network_rules.hpp"
#include "core/roster.hpp"
#include "store/incident_store.hpp"

#include <string>

namespace puente::app {

// Whether `incident` is held and `who` may not see it (anyone but dispatchers and admins).
bool is_hidden_from(const core::Responder& who, const v1::Incident& incident);

class ApprovalService {
 public:
  ApprovalService(const NetworkRules& rules, store::IncidentStore& store,
                  AvailabilityCopy& availability, AuditTrail& audit)
      : rules_(rules), store_(store), availability_(availability), audit_(audit) {}

  // Answers the incident as it now stands (with its alert).
  void approve(const core::Responder& who, const std::string& incident_id, Done<v1::Incident> done);

 private:
  void release(const core::Responder& who, v1::Incident incident,
               const store::AvailabilityBook& book, Done<v1::Incident> done);

  const NetworkRules& rules_;
  store::IncidentStore& store_;
  AvailabilityCopy& availability_;
  AuditTrail& audit_;
};

}  // namespace puente::app
