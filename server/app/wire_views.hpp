#pragma once
// Core types, and the map tiles' settings, as the wire shows them.

#include "app/maps/map_tiles.hpp"
#include "core/geo_index.hpp"
#include "core/roster.hpp"
#include "puente/v1/puente.pb.h"

namespace puente::app {

// Never carries the token hash.
v1::Responder to_wire(const core::Responder& who);
v1::Neighborhood to_wire(const core::Neighborhood& neighborhood);
// Empty when there are no tiles.
v1::MapTiles to_wire(const MapTiles& tiles);

}  // namespace puente::app
