#pragma once
// Intake: a report becomes an incident, or corroborates one. Validate, place it in a
// neighborhood (point in polygon), then open a new incident in REPORTED and alert that
// neighborhood's on-call legal observers (VERIFY; DISPATCH to everyone when the policy does
// not verify first), all in one store step. That step first looks for open incidents of the
// same kind nearby and recent: if there are any, the report is attached to the one it
// corroborates (core/report_dedup.hpp) instead. A repeated idempotency key answers with what
// the first request created, and writes nothing.
//
// Recipients include whoever set themselves available outside their shifts: the service keeps
// a copy of the store's availability book, and the store step refuses a copy that is out of
// date and hands back the current one. So a report costs one Redis round trip, not three.

#include "app/network_rules.hpp"
#include "app/refusal.hpp"
#include "core/metrics.hpp"
#include "store/incident_store.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace puente::app {

class IntakeService {
 public:
  IntakeService(const NetworkRules& rules, store::IncidentStore& store,
                core::Metrics& metrics);

  struct Result {
    MaybeRefusal refusal;
    bool created = false;  // false: an earlier request with the same idempotency key
    v1::ReportReceipt receipt;
  };
  // `done` runs exactly once, on the store's strand or inline for a refusal. With
  // `keep_identity` a report that has an id keeps it and its time (the outbox gives them before
  // the first try, so a replay from the journal is the same report).
  void submit(const core::Responder& reporter, v1::Report report, std::function<void(Result)> done,
              bool keep_identity = false);

 private:
  struct Pending;  // one report on its way through the steps below
  // Opens an incident, unless (`unless_near`) the store finds open incidents it may corroborate.
  void open_incident(std::shared_ptr<Pending> p, bool unless_near);
  void corroborate(std::shared_ptr<Pending> p, const std::vector<store::Candidate>& candidates);
  void attach(std::shared_ptr<Pending> p, const std::string& incident_id);
  void answer_with_incident(const std::string& incident_id, const std::string& report_id, bool created,
                            std::function<void(Result)> done);

  // The copy of the availability book; null until the first report reads it.
  std::shared_ptr<const store::AvailabilityBook> availability() const;
  void keep_availability(store::AvailabilityBook book);

  const NetworkRules& rules_;
  store::IncidentStore& store_;
  core::Metrics& metrics_;
  mutable std::mutex availability_mutex_;  // submit runs on any thread; the store answers on its own
  std::shared_ptr<const store::AvailabilityBook> availability_;
};

}  // namespace puente::app
