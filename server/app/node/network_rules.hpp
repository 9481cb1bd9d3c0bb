#pragma once
// What a node knows of its network, loaded once at start and read-only after: geography,
// roster, dispatch policy, time zone and the alert writer. Services and workers share it.

#include "app/incidents/alert_writer.hpp"
#include "core/dispatch_policy.hpp"
#include "core/geo_index.hpp"
#include "core/roster.hpp"
#include "core/time_zone.hpp"

namespace puente::app {

struct NetworkRules {
  const core::GeoIndex& geo;
  const core::Roster& roster;
  const core::DispatchPolicies& policies;
  const core::TimeZone& zone;
  const AlertWriter& writer;

  const core::DispatchPolicy& policy_for(const std::string& neighborhood) const {
    return policies.for_neighborhood(neighborhood);
  }
};

}  // namespace puente::app
