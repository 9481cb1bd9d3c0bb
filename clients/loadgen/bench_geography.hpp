#pragma once
// The benchmark's rooms: real neighborhoods of the configured GeoJSON, each with points known
// to lie inside it (a 0.002-degree grid over the neighborhoods' extent, located with the
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
// std::runtime_error if the file cannot be read or has fewer such neighborhoods. Takes a few
// seconds (tens under ASan): `roster` computes them once and the runs read them back.
std::vector<BenchRoom> bench_rooms(const std::filesystem::path& geojson, std::size_t count);

// "slug<TAB>lat,lon;lat,lon;..." lines, one room each.
void write_rooms(const std::filesystem::path& file, const std::vector<BenchRoom>& rooms);
std::vector<BenchRoom> read_rooms(const std::filesystem::path& file);

// The report kinds a room's reports cycle through, with the points.
inline constexpr const char* report_kinds[] = {"RAID",   "CHECKPOINT",   "ARREST",
                                               "PATROL", "SURVEILLANCE", "OTHER"};

}  // namespace puente::loadgen
