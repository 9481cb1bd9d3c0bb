#pragma once
// Raster tiles under the neighborhoods map: optional, off by default ([web] tiles_* in
// config/puented.toml). Off, the pages draw the neighborhoods alone and fetch nothing else. On,
// the board and the intake page draw Web Mercator tiles (256 px, z/x/y numbered as
// OpenStreetMap's) under the shapes, from one of:
//   - a tile server the network runs: tiles_url = "https://tiles.example.org/{z}/{x}/{y}.png".
//     Its origin, and only it, joins img-src in the pages' Content-Security-Policy. Plain http
//     only on this machine (127.0.0.1, localhost, [::1]): a local run, the tests.
//   - this node: tiles_dir = a folder of <z>/<x>/<y>.png, served at /tiles/{z}/{x}/{y}.png
//     (net/tile_files.hpp), or a path of this origin that a proxy in front answers
//     (tiles_url = "/osm/{z}/{x}/{y}.png" without tiles_dir). The CSP is unchanged.
// The pages learn the settings from GET /v1/neighborhoods/map/tiles (v1.MapTiles).

#include <filesystem>
#include <string>
#include <string_view>

namespace puente::app {

struct MapTiles {
  std::string url;            // a template holding {z}, {x} and {y}; empty: no tiles
  std::filesystem::path dir;  // served by this node at served_tiles_url; empty: none
  std::string attribution;    // shown on the map ("© OpenStreetMap contributors")
  int max_zoom = 18;          // no tiles are asked for beyond it; the last ones are enlarged
  std::string origin;         // of `url`, for img-src; empty when `url` is a path of this node

  bool enabled() const { return !url.empty(); }
};

// Where a node serves the tiles of tiles_dir.
inline constexpr std::string_view served_tiles_url = "/tiles/{z}/{x}/{y}.png";

// Longest tiles_attribution, in bytes: a credit line under a map, not a paragraph.
inline constexpr std::size_t max_attribution_bytes = 200;

// Checks the [web] tile options together and completes them: `url` from `dir`, `origin` from
// `url`. Throws std::runtime_error naming the option at fault.
void settle_map_tiles(MapTiles& tiles);

}  // namespace puente::app
