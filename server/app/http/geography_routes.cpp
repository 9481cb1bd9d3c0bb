// The neighborhoods: their list, their map and tiles, and which one holds a point.
#include "app/http/api_exchange.hpp"
#include "app/http/route_groups.hpp"
#include "app/wire_views.hpp"

namespace puente::app::api {

void add_geography_routes(net::Router& router, ApiServices& s) {
  router.add(http::verb::get, "/v1/neighborhoods",
             authenticated(
                 s, [&s](const core::Responder&, Request&& request, RouteParams, Respond respond) {
                   v1::NeighborhoodList list;
                   for (const auto& n : s.rules.geo.neighborhoods())
                     *list.add_neighborhoods() = to_wire(n);
                   respond(encode(request, http::status::ok, list));
                 }));
  // The outlines the pages draw. Behind a token like the rest of the geography; the ETag
  // lets a phone keep its copy ("private": no shared cache keeps what came with a token).
  router.add(http::verb::get, "/v1/neighborhoods/map",
             authenticated(
                 s, [&s](const core::Responder&, Request&& request, RouteParams, Respond respond) {
                   respond(s.neighborhood_map.answer(request, "private, no-cache"));
                 }));
  // The tiles to draw under it, if the network has any (map_tiles.hpp); an empty object if not.
  router.add(http::verb::get, "/v1/neighborhoods/map/tiles",
             authenticated(
                 s, [&s](const core::Responder&, Request&& request, RouteParams, Respond respond) {
                   respond(encode(request, http::status::ok, to_wire(s.map_tiles)));
                 }));
  router.add(http::verb::get, "/v1/neighborhoods/locate",
             authenticated(s, [&s](const core::Responder&, Request&& request, RouteParams params,
                                   Respond respond) {
               auto lat = parse_double(query(params, "lat"));
               auto lon = parse_double(query(params, "lon"));
               if (!lat || !lon || *lat < -90 || *lat > 90 || *lon < -180 || *lon > 180)
                 return respond(refusal_response(
                     {RefusalKind::bad_location, "lat and lon must be numbers in range"}));
               const auto* n = s.rules.geo.locate(*lat, *lon);
               if (!n)
                 return respond(refusal_response(
                     {RefusalKind::point_outside_coverage, "no neighborhood holds that point"}));
               respond(encode(request, http::status::ok, to_wire(*n)));
             }));
}

}  // namespace puente::app::api
