#pragma once
// Intake: a report becomes an incident, or corroborates one. Validate, place it in a
// neighborhood (point in polygon), then open a new incident in REPORTED and alert that
// neighborhood's on-call legal observers (VERIFY; DISPATCH to everyone when the policy does
// not verify first), all in one store step. That step first looks for open incidents of the
// same kind nearby and recent: if there are any, the report is attached to the one it
// corroborates (core/report_dedup.hpp) instead. A repeated idempotency key answers with what
// the first request created, and writes nothing.
//
// Recipients include whoever set themselves available outside their shifts, from the node's
// copy of the availability book (availability_copy.hpp). So a report costs one Redis round
// trip: the corroboration check, the book's version check and the write are one step.

#include "app/answer.hpp"
#include "app/incidents/availability_copy.hpp"
#include "app/node/network_rules.hpp"
#include "core/metrics.hpp"
#include "store/incident_store.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

namespace puente::app {

class IntakeService {
 public:
  IntakeService(const NetworkRules& rules, store::IncidentStore& store,
                AvailabilityCopy& availability, core::Metrics& metrics);

  // `report` comes with its identity (an id, the time it was received, an idempotency key):
  // report_desk.hpp gives it, and a journal replay keeps it. Answers the receipt, `repeated`
  // for an idempotency key seen before. `done` runs exactly once, on the store's strand or
  // inline for a refusal.
  void submit(const core::Responder& reporter, v1::Report report,
              Done<Accepted<v1::ReportReceipt>> done);

 private:
  struct Pending;  // one report on its way through the steps below
  // Opens an incident, unless (`unless_near`) the store finds open incidents it may corroborate.
  void open_incident(std::shared_ptr<Pending> p, bool unless_near);
  // The same, with the recipients chosen from `book`.
  void open_incident(std::shared_ptr<Pending> p, bool unless_near,
                     const store::AvailabilityBook& book);
  void corroborate(std::shared_ptr<Pending> p, const std::vector<store::Candidate>& candidates);
  void attach(std::shared_ptr<Pending> p, const std::string& incident_id);
  void answer_with_incident(const std::string& incident_id, const std::string& report_id,
                            Taken taken, Done<Accepted<v1::ReportReceipt>> done);

  const NetworkRules& rules_;
  store::IncidentStore& store_;
  AvailabilityCopy& availability_;
  core::Metrics& metrics_;
};

}  // namespace puente::app
