// GeoIndex::locate on the real LA City file against a reference written here on its own: every
// feature's polygons in Boost.Geometry, each point tested against every one, the lowest slug
// winning on a shared boundary. Random points over the whole map, and vertices, midpoints of
// edges and points a hair off them: the grid in front of the polygons (neighborhood_grid.hpp)
// must never answer otherwise than they do.

#include "core/geo_index.hpp"
#include "la_data.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <boost/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace puente::core {
namespace {

namespace bg = boost::geometry;
namespace json = boost::json;
using Point = bg::model::d2::point_xy<double>;
using Shape = bg::model::multi_polygon<bg::model::polygon<Point>>;

struct ReferenceMap {
  struct Feature {
    std::string slug;
    Shape shape;
    bg::model::box<Point> box;
  };
  std::vector<Feature> features;  // sorted by slug

  explicit ReferenceMap(const std::string& geojson) {
    const auto doc = json::parse(geojson);
    for (const auto& f : doc.at("features").as_array()) {
      Feature feature;
      feature.slug = std::string(f.at("properties").at("slug").as_string());
      const auto& geometry = f.at("geometry");
      const auto& coordinates = geometry.at("coordinates").as_array();
      const auto add_polygon = [&](const json::array& rings) {
        auto& polygon = feature.shape.emplace_back();
        for (std::size_t r = 0; r < rings.size(); ++r) {
          auto& ring = r == 0 ? polygon.outer() : polygon.inners().emplace_back();
          for (const auto& p : rings[r].as_array())
            ring.emplace_back(p.as_array()[0].to_number<double>(),
                              p.as_array()[1].to_number<double>());
        }
      };
      if (geometry.at("type").as_string() == "Polygon") {
        add_polygon(coordinates);
      } else {
        for (const auto& p : coordinates) add_polygon(p.as_array());
      }
      bg::correct(feature.shape);
      bg::envelope(feature.shape, feature.box);
      features.push_back(std::move(feature));
    }
    std::sort(features.begin(), features.end(),
              [](const Feature& a, const Feature& b) { return a.slug < b.slug; });
  }

  std::string slug_at(double lat, double lon) const {
    const Point p(lon, lat);
    for (const auto& f : features)
      if (bg::covered_by(p, f.box) && bg::covered_by(p, f.shape)) return f.slug;
    return "(none)";
  }
};

std::string slug_in(const GeoIndex& index, double lat, double lon) {
  const Neighborhood* n = index.locate(lat, lon);
  return n ? n->slug : "(none)";
}

TEST(GeoIndexLa, EveryPointIsPlacedAsThePolygonsAlonePlaceIt) {
  const ReferenceMap reference(
      test::read_file(test::kLaData + "/la-city-neighborhoods-v6.geojson"));
  const GeoIndex& index = test::la_city();
  ASSERT_EQ(reference.features.size(), index.neighborhoods().size());

  // Random points over the map's box and a little beyond it.
  const auto [min_lon, min_lat, max_lon, max_lat] = index.bounds();
  std::mt19937_64 random(22);
  std::uniform_real_distribution<double> lon(min_lon - 0.01, max_lon + 0.01);
  std::uniform_real_distribution<double> lat(min_lat - 0.01, max_lat + 0.01);
  for (int i = 0; i < 5'000; ++i) {
    const double a = lat(random), o = lon(random);
    ASSERT_EQ(slug_in(index, a, o), reference.slug_at(a, o)) << "at " << a << ", " << o;
  }

  // Vertices, the midpoints of edges and points a hair either side of them: where the grid must
  // leave the answer to the polygons. Every tenth edge of every ring keeps it quick under the
  // sanitizers.
  int edge_number = 0;
  for (const auto& feature : reference.features) {
    for (const auto& polygon : feature.shape) {
      std::vector<const Shape::value_type::ring_type*> rings{&polygon.outer()};
      for (const auto& hole : polygon.inners()) rings.push_back(&hole);
      for (const auto* ring : rings) {
        for (std::size_t k = 1; k < ring->size(); ++k) {
          if (++edge_number % 10 != 0) continue;
          const Point& a = (*ring)[k - 1];
          const Point& b = (*ring)[k];
          const double mid_lon = (a.x() + b.x()) / 2, mid_lat = (a.y() + b.y()) / 2;
          for (const auto& [p_lat, p_lon] :
               {std::pair{a.y(), a.x()}, std::pair{mid_lat, mid_lon},
                std::pair{mid_lat + 1e-9, mid_lon}, std::pair{mid_lat, mid_lon - 1e-9}}) {
            ASSERT_EQ(slug_in(index, p_lat, p_lon), reference.slug_at(p_lat, p_lon))
                << "at " << p_lat << ", " << p_lon << " (" << feature.slug << ")";
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace puente::core
