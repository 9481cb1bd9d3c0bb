#pragma once
// Intake: a report becomes an incident, or corroborates one. Validate, place it in a
// neighborhood (point in polygon), then either attach it to an open incident of the same kind
// nearby and recent (core/report_dedup.hpp) or open a new incident in REPORTED and alert that
// neighborhood's on-call legal observers (VERIFY; DISPATCH to everyone when the policy does
// not verify first), all in one store step. A repeated idempotency key answers with what the
// first request created, and writes nothing.

#include "app/network_rules.hpp"
#include "app/refusal.hpp"
#include "core/metrics.hpp"
#include "store/incident_store.hpp"

#include <chrono>
#include <functional>
#include <set>

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
  void find_corroborated(std::shared_ptr<Pending> p);
  void attach(std::shared_ptr<Pending> p, const std::string& incident_id);
  void open_incident(std::shared_ptr<Pending> p);
  void answer_with_incident(const std::string& incident_id, const std::string& report_id, bool created,
                            std::function<void(Result)> done);

  const NetworkRules& rules_;
  store::IncidentStore& store_;
  core::Metrics& metrics_;
};

}  // namespace puente::app
