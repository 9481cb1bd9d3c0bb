#pragma once
// Dispatch: an incident's life after the report. Confirm (DISPATCH to every responder),
// false alarm (DEBUNK), resolve (STAND_DOWN), updates (UPDATE); acks from responders; and the
// views of incidents a dispatcher or a responder may read. Every decision of who may and what
// comes next is core's (access.hpp, incident_lifecycle.hpp); this class does the I/O around it.

#include "app/refusal.hpp"
#include "core/geo_index.hpp"
#include "core/incident_lifecycle.hpp"
#include "core/metrics.hpp"
#include "core/roster.hpp"
#include "store/incident_store.hpp"

#include <functional>
#include <optional>

namespace puente::app {

class DispatchService {
 public:
  DispatchService(const core::GeoIndex& geo, store::IncidentStore& store, core::Metrics& metrics);

  template <typename T>
  using Done = std::function<void(MaybeRefusal, T)>;

  // Callbacks run exactly once, on the store's strand or inline for a refusal.
  void advance(const core::Responder& who, const std::string& incident_id, core::IncidentStep step,
               const v1::IncidentAction& action, Done<v1::Incident> done);
  void ack(const core::Responder& who, v1::Ack ack, Done<v1::Ack> done);
  void view(const core::Responder& who, const std::string& incident_id, Done<v1::Incident> done);
  // `status`: an IncidentStatus name or empty (open ones); `neighborhood`: a slug or empty.
  void list(const core::Responder& who, const std::string& status, const std::string& neighborhood,
            Done<v1::IncidentList> done);

 private:
  void apply_step(const core::Responder& who, v1::Incident incident, core::IncidentStep step,
                  const v1::IncidentAction& action, Done<v1::Incident> done);

  const core::GeoIndex& geo_;
  store::IncidentStore& store_;
  core::Metrics& metrics_;
};

}  // namespace puente::app
