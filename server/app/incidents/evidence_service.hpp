#pragma once
// Evidence: a dispatcher keeps an incident past the retention (a raid to be documented in
// court). Marking strips the caller's contact (the keyed hash of their phone) from every copy
// of its reports now, and from every report attached to it later (lua/attach_report.lua);
// the incident is then never purged. The mark is recorded in the audit chain. Marking an
// incident that already is evidence changes nothing and answers the same.

#include "app/access/audit_trail.hpp"
#include "app/refusal.hpp"
#include "core/metrics.hpp"
#include "core/roster.hpp"
#include "store/incident_store.hpp"
#include "store/retention_store.hpp"

#include <memory>
#include <string>

namespace puente::app {

class EvidenceService {
 public:
  EvidenceService(store::IncidentStore& incidents, store::RetentionStore& retention,
                  core::Metrics& metrics, AuditTrail& audit);

  // Answers the incident as it is kept (no caller contact, evidence_at set). Runs `done`
  // exactly once, on the store's strand or inline for a refusal.
  void mark(const core::Responder& who, const std::string& incident_id, Done<v1::Incident> done);

 private:
  struct Mark;  // one mark on its way: read the reports, rewrite them if they did not change
  void attempt(std::shared_ptr<Mark> m);

  store::IncidentStore& incidents_;
  store::RetentionStore& retention_;
  core::Metrics& metrics_;
  AuditTrail& audit_;
};

}  // namespace puente::app
