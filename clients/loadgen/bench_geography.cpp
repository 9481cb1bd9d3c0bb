#include "bench_geography.hpp"

#include "core/geo_index.hpp"

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace puente::loadgen {

namespace {

// The City of Los Angeles and then some; points outside every neighborhood are dropped.
constexpr double south = 33.68, north = 34.36, west = -118.70, east = -118.12, step = 0.002;
constexpr std::size_t min_points = 4;

}  // namespace

std::vector<BenchRoom> bench_rooms(const std::filesystem::path& geojson, std::size_t count) {
  std::ifstream in(geojson, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + geojson.string());
  std::ostringstream text;
  text << in.rdbuf();
  auto geo = core::GeoIndex::from_geojson(text.str());

  std::map<std::string, std::vector<std::pair<double, double>>> inside;
  for (double lat = south; lat < north; lat += step)
    for (double lon = west; lon < east; lon += step)
      if (const auto* n = geo.locate(lat, lon)) inside[n->slug].emplace_back(lat, lon);

  std::vector<BenchRoom> rooms;
  for (auto& [slug, points] : inside) {
    if (rooms.size() == count) break;
    if (points.size() >= min_points) rooms.push_back({slug, std::move(points)});
  }
  if (rooms.size() < count)
    throw std::runtime_error("only " + std::to_string(rooms.size()) + " neighborhoods in " +
                             geojson.string() + " are large enough for the benchmark; asked for " +
                             std::to_string(count));
  return rooms;
}

void write_rooms(const std::filesystem::path& file, const std::vector<BenchRoom>& rooms) {
  std::ofstream out(file, std::ios::trunc);
  out.precision(9);
  for (const auto& room : rooms) {
    out << room.slug << '\t';
    for (std::size_t i = 0; i < room.points.size(); ++i)
      out << (i ? ";" : "") << room.points[i].first << ',' << room.points[i].second;
    out << '\n';
  }
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

std::vector<BenchRoom> read_rooms(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in)
    throw std::runtime_error("cannot read " + file.string() +
                             " (written by `puente-loadgen roster`)");
  std::vector<BenchRoom> rooms;
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    BenchRoom room;
    std::string points;
    if (!std::getline(fields, room.slug, '\t') || !std::getline(fields, points)) continue;
    std::istringstream list(points);
    for (std::string point; std::getline(list, point, ';');) {
      auto comma = point.find(',');
      room.points.emplace_back(std::stod(point.substr(0, comma)),
                               std::stod(point.substr(comma + 1)));
    }
    rooms.push_back(std::move(room));
  }
  return rooms;
}

}  // namespace puente::loadgen
