#include "app/maps/neighborhood_map.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include <cmath>
#include <cstdio>

namespace puente::app {

namespace {

// 5 decimals without trailing zeros: "-118.211", "34.03351".
void append_degrees(std::string& out, double degrees) {
  char text[32];
  int n = std::snprintf(text, sizeof text, "%.5f", std::round(degrees * 1e5) / 1e5);
  while (n > 1 && text[n - 1] == '0') --n;
  if (n > 1 && text[n - 1] == '.') --n;
  out.append(text, static_cast<std::size_t>(n));
}

void append_ring(std::string& out, const core::Outline::Ring& ring) {
  out += '[';
  for (std::size_t i = 0; i < ring.size(); ++i) {
    if (i) out += ',';
    out += '[';
    append_degrees(out, ring[i][0]);
    out += ',';
    append_degrees(out, ring[i][1]);
    out += ']';
  }
  out += ']';
}

void append_string(std::string& out, std::string_view text) {
  out += boost::json::serialize(boost::json::string(text));
}

}  // namespace

std::string neighborhood_map_geojson(const core::GeoIndex& geo, double simplify_deg) {
  std::string out = R"({"type":"FeatureCollection","bbox":[)";
  auto box = geo.bounds();
  for (std::size_t i = 0; i < box.size(); ++i) {
    if (i) out += ',';
    append_degrees(out, box[i]);
  }
  out += R"(],"features":[)";
  bool first = true;
  for (const auto& n : geo.neighborhoods()) {
    auto outline = geo.outline(n.slug, simplify_deg);
    if (outline.polygons.empty()) continue;
    if (!first) out += ',';
    first = false;
    out += R"({"type":"Feature","properties":{"slug":)";
    append_string(out, n.slug);
    out += R"(,"name":)";
    append_string(out, n.name);
    out += R"(},"geometry":{"type":"MultiPolygon","coordinates":[)";
    for (std::size_t p = 0; p < outline.polygons.size(); ++p) {
      if (p) out += ',';
      out += '[';
      for (std::size_t r = 0; r < outline.polygons[p].size(); ++r) {
        if (r) out += ',';
        append_ring(out, outline.polygons[p][r]);
      }
      out += ']';
    }
    out += "]}}";
  }
  out += "]}";
  return out;
}

}  // namespace puente::app
