#pragma once
// Dispatch: an incident's life after the report. Confirm (DISPATCH to the on-call responders),
// false alarm (DEBUNK) and resolve (STAND_DOWN) to everyone alerted, updates (UPDATE; with a
// new location the incident may move into another neighborhood, whose responders are then
// alerted); acks from responders; and the views of incidents a dispatcher or a responder may
// read. Every decision of who may, what comes next and who is told is core's; this class does
// the I/O around it, and starts or stops the escalation clock.

#include "app/access/audit_trail.hpp"
#include "app/answer.hpp"
#include "app/incidents/availability_copy.hpp"
#include "app/node/network_rules.hpp"
#include "core/incident_lifecycle.hpp"
#include "core/metrics.hpp"
#include "store/incident_store.hpp"

#include <functional>
#include <optional>

namespace puente::app {

class DispatchService {
 public:
  DispatchService(const NetworkRules& rules, store::IncidentStore& store,
                  AvailabilityCopy& availability, core::Metrics& metrics, AuditTrail& audit);

  // Callbacks run exactly once, on the store's strand or inline for a refusal.
  void advance(const core::Responder& who, const std::string& incident_id, core::IncidentStep step,
               const v1::IncidentAction& action, Done<v1::Incident> done);
  // `ack` comes with its identity (sender, time, idempotency key): ack_desk.hpp gives it, and a
  // journal replay keeps it.
  void ack(const core::Responder& who, v1::Ack ack, Done<Accepted<v1::Ack>> done);
  void view(const core::Responder& who, const std::string& incident_id, Done<v1::Incident> done);

  // Told of every ack recorded (not a repeat), as kept: the people on scene (on_scene.hpp).
  // `duress`: the ack's note was the duress word ([policy] duress_word), kept without it. The
  // sender is answered once the hook calls `then`: an answered ON_SCENE has its check-in
  // deadline in Redis, whatever becomes of this node.
  using AckRecordedHook = std::function<void(const core::Responder& who, const v1::Ack& ack,
                                             bool duress, std::function<void()> then)>;
  void on_ack_recorded(AckRecordedHook hook) { on_ack_recorded_ = std::move(hook); }
  // `status`: an IncidentStatus name or empty (open ones); `neighborhood`: a slug or empty.
  void list(const core::Responder& who, const std::string& status, const std::string& neighborhood,
            Done<v1::IncidentList> done);

 private:
  struct Step;  // one incident action on its way through the steps below
  void apply_step(std::shared_ptr<Step> s);
  std::vector<v1::Alert> alerts_for(const Step& s, const v1::Incident& moved) const;

  const NetworkRules& rules_;
  store::IncidentStore& store_;
  AvailabilityCopy& availability_;
  core::Metrics& metrics_;
  AuditTrail& audit_;
  AckRecordedHook on_ack_recorded_;
};

// What `who` may see of an incident: dispatchers everything; everyone else neither who else
// was alerted nor the delivery records, nor anyone's shared location, help call, or on-scene
// alert that did not go to them (core/help_call.hpp, sees_alert).
void redact_for(const core::Responder& who, v1::Incident& incident);
void redact_for(const core::Responder& who, v1::ReportReceipt& receipt);

}  // namespace puente::app
