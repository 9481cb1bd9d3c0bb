#pragma once
// The map the board and the intake page draw: the configured neighborhoods as a GeoJSON
// FeatureCollection, made small enough for a phone on a slow network. Outlines are simplified
// to within `simplify_deg` (Douglas-Peucker) and positions rounded to 5 decimals (about a
// metre); each feature keeps only `slug` and `name`; `bbox` covers them all. For the LA file:
// 820 kB in, about 115 kB out, 28 kB gzipped. Built once at start; served with an ETag.

#include "core/geo_index.hpp"

#include <string>

namespace puente::app {

// 0.0002 degrees: about 20 m, less than a pixel on a city-wide map a laptop draws.
inline constexpr double map_simplify_deg = 0.0002;

std::string neighborhood_map_geojson(const core::GeoIndex& geo,
                                     double simplify_deg = map_simplify_deg);

}  // namespace puente::app
