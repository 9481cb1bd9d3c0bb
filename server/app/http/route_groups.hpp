#pragma once
// The routes of the HTTP API by topic, each group in its own file; add_api_routes adds them all.

#include "app/http/api_routes.hpp"

namespace puente::app::api {

void add_health_routes(net::Router& router, ApiServices& s);
void add_incident_routes(net::Router& router, ApiServices& s);
void add_geography_routes(net::Router& router, ApiServices& s);
void add_roster_routes(net::Router& router, ApiServices& s);
void add_admin_routes(net::Router& router, ApiServices& s);
void add_push_routes(net::Router& router, ApiServices& s);
void add_device_token_routes(net::Router& router, ApiServices& s);
void add_sms_routes(net::Router& router, ApiServices& s);
void add_media_routes(net::Router& router, ApiServices& s);

}  // namespace puente::app::api
