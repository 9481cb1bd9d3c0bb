#include "app/wire_views.hpp"

namespace puente::app {

v1::Responder to_wire(const core::Responder& who) {
  v1::Responder out;
  out.set_id(who.id);
  out.set_name(who.name);
  for (auto role : who.roles) out.add_roles(std::string(core::to_string(role)));
  for (const auto& n : who.neighborhoods) out.add_neighborhoods(n);
  for (const auto& l : who.languages) out.add_languages(l);
  return out;
}

v1::Neighborhood to_wire(const core::Neighborhood& n) {
  v1::Neighborhood out;
  out.set_slug(n.slug);
  out.set_name(n.name);
  for (const auto& a : n.adjacent) out.add_adjacent(a);
  return out;
}

v1::MapTiles to_wire(const MapTiles& tiles) {
  v1::MapTiles wire;
  if (!tiles.enabled()) return wire;
  wire.set_url_template(tiles.url);
  wire.set_attribution(tiles.attribution);
  wire.set_max_zoom(tiles.max_zoom);
  return wire;
}

}  // namespace puente::app
