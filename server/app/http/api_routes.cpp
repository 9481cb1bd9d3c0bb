#include "app/http/api_routes.hpp"

#include "app/http/route_groups.hpp"

namespace puente::app {

void add_api_routes(net::Router& router, ApiServices& services) {
  api::add_health_routes(router, services);
  // Before the incident routes: POST /v1/incidents/{id}/media is not a step ({step}), and the
  // router takes the first match.
  api::add_media_routes(router, services);
  api::add_incident_routes(router, services);
  api::add_geography_routes(router, services);
  api::add_roster_routes(router, services);
  api::add_admin_routes(router, services);
  api::add_push_routes(router, services);
  api::add_device_token_routes(router, services);
  api::add_sms_routes(router, services);
}

}  // namespace puente::app
