#pragma once
// The benchmark's rooms: real neighborhoods of the configured GeoJSON, each with points known
// to lie inside it (a 0.001-degree grid over the neighborhoods' extent, located with the
// server's own GeoIndex), so every report lands where it is meant to and reports cycling
// through points and kinds never merge under dedup.

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace puente::loadgen {

struct BenchRoom {
  std::string slug;
  std::vector<std::pair<double, double>> points;  // (lat, lon) inside it
};

// The first `count` neighborhoods in slug order that hold at least 4 grid points. Throws
// std::runtime_error if the file cannot be read or has fewer such neighborhoods.
std::vector<BenchRoom> bench_rooms(const std::filesystem::path& geojson, std::size_t count);

// The report kinds a room's reports cycle through, with the points.
inline constexpr const char* report_kinds[] = {"RAID", "CHECKPOINT", "ARREST", "PATROL", "SURVEILLANCE", "OTHER"};

}  // namespace puente::loadgen
