// The neighborhoods: their list, their map and tiles, which one holds a point, and address
// search through the network's geocoder.
#include "app/http/api_exchange.hpp"
#include "app/http/route_groups.hpp"
#include "app/maps/geocoder.hpp"
#include "app/wire_views.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

namespace puente::app::api {

namespace {

// An address, a crossing, a landmark: 200 bytes is a long one. More places than 10 is a list
// no operator reads on a call.
constexpr std::size_t geocode_text_max_bytes = 200;
constexpr std::uint32_t geocode_limit_default = 5;
constexpr std::uint32_t geocode_limit_max = 10;

// POST /v1/geocode: the places the geocoder finds for the text, inside the network's area,
// each with the neighborhood that holds it. The text is an address a caller gave: it travels in
// the body (never a URL of ours, which access logs keep) and is never logged.
void search_address(ApiServices& s, const core::Responder& who, Request&& request,
                    Respond respond) {
  if (!core::may(who, core::Action::search_address))
    return respond(
        refusal_response(Refusal::forbidden("address search is for operators and dispatchers")));
  if (!s.geocoder)
    return respond(refusal_response(
        {RefusalKind::geocoder_not_configured,
         "address search is off on this network: an admin sets [geography] geocoder_url to a "
         "geocoder that speaks the Nominatim search API (README, \"Address search\")"}));
  v1::GeocodeQuery search;
  if (auto refusal = decode(request, search)) return respond(refusal_response(*refusal));
  const auto& text = search.text();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    return respond(refusal_response({RefusalKind::bad_search, "text is empty: type an address"}));
  if (text.size() > geocode_text_max_bytes)
    return respond(refusal_response(
        {RefusalKind::bad_search, "text is over " + std::to_string(geocode_text_max_bytes) +
                                      " bytes: type an address or a crossing"}));
  if (search.limit() > geocode_limit_max)
    return respond(refusal_response(
        {RefusalKind::bad_search, "limit is over " + std::to_string(geocode_limit_max)}));
  const auto limit = search.limit() ? search.limit() : geocode_limit_default;
  auto req = std::make_shared<Request>(std::move(request));
  s.geocoder->search(text, limit, [&s, req, respond = std::move(respond)](Geocoder::Outcome found) {
    if (found.failure) {
      // What went wrong with the geocoder, never what was searched for.
      spdlog::warn("address search failed: {}", found.detail);
      const auto kind = *found.failure == Geocoder::Failure::bad_answer
                            ? RefusalKind::geocoder_bad_answer
                            : RefusalKind::geocoder_unavailable;
      return respond(refusal_response({kind, found.detail}));
    }
    v1::GeocodeResult result;
    for (const auto& place : found.places) {
      auto* out = result.add_places();
      out->set_lat(place.lat);
      out->set_lon(place.lon);
      out->set_name(place.name);
      if (const auto* n = s.rules.geo.locate(place.lat, place.lon)) out->set_neighborhood(n->slug);
    }
    respond(encode(*req, http::status::ok, result));
  });
}

}  // namespace

void add_geography_routes(net::Router& router, ApiServices& s) {
  router.add(http::verb::get, "/v1/neighborhoods",
             authenticated(
                 s, [&s](const core::Responder&, Request&& request, RouteParams, Respond respond) {
                   v1::NeighborhoodList list;
                   for (const auto& n : s.rules.geo.neighborhoods())
                     *list.add_neighborhoods() = to_wire(n);
                   respond(encode(request, http::status::ok, list));
                 }));
  // Which network the caller's token is of (issue 23): every page shows its name in its header.
  // JSON only, like the map: two strings need no protobuf.
  router.add(
      http::verb::get, "/v1/network",
      authenticated(s, [&s](const core::Responder&, Request&&, RouteParams, Respond respond) {
        respond(net::json_response(http::status::ok,
                                   boost::json::serialize(boost::json::object{
                                       {"id", s.network_id}, {"name", s.network_name}})));
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
  router.add(http::verb::post, "/v1/geocode",
             authenticated(s, [&s](const core::Responder& who, Request&& request, RouteParams,
                                   Respond respond) {
               search_address(s, who, std::move(request), std::move(respond));
             }));
}

}  // namespace puente::app::api
