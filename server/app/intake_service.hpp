#pragma once
// Intake: a report becomes an incident. Validate, place it in a neighborhood (point in
// polygon), open the incident in REPORTED and send VERIFY to that neighborhood's legal
// observers, all in one store step. A repeated idempotency key answers with what the first
// request created, and writes nothing.

#include "app/refusal.hpp"
#include "core/geo_index.hpp"
#include "core/metrics.hpp"
#include "core/roster.hpp"
#include "store/incident_store.hpp"

#include <functional>

namespace puente::app {

class IntakeService {
 public:
  IntakeService(const core::GeoIndex& geo, store::IncidentStore& store, core::Metrics& metrics);

  struct Result {
    MaybeRefusal refusal;
    bool created = false;  // false: an earlier request with the same idempotency key
    v1::ReportReceipt receipt;
  };
  // `done` runs exactly once, on the store's strand or inline for a refusal.
  void submit(const core::Responder& reporter, v1::Report report, std::function<void(Result)> done);

 private:
  void answer_repeat(const store::IncidentStore::Opened& opened, std::function<void(Result)> done);

  const core::GeoIndex& geo_;
  store::IncidentStore& store_;
  core::Metrics& metrics_;
};

}  // namespace puente::app
