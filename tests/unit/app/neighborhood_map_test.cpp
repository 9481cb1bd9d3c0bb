// The map the pages draw: every neighborhood of the configured file, small enough for a phone,
// and still the same shapes.
#include "app/maps/neighborhood_map.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <fstream>
#include <sstream>

namespace puente::app {
namespace {

namespace json = boost::json;

std::string la_geojson() {
  std::ifstream in(std::string(PUENTE_LA_DATA) + "/la-city-neighborhoods-v6.geojson",
                   std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(NeighborhoodMap, EveryNeighborhoodSimplifiedRoundedAndSmall) {
  const auto source = la_geojson();
  const auto geo = core::GeoIndex::from_geojson(source);
  const auto map = neighborhood_map_geojson(geo);
  // 820 kB in; a phone on a slow network gets a seventh of it (and gzip takes it to ~30 kB).
  EXPECT_LT(map.size(), source.size() / 5);

  auto doc = json::parse(map).as_object();
  EXPECT_EQ(doc.at("type").as_string(), "FeatureCollection");
  const auto& features = doc.at("features").as_array();
  ASSERT_EQ(features.size(), 114u);
  const auto& bbox = doc.at("bbox").as_array();
  ASSERT_EQ(bbox.size(), 4u);
  EXPECT_NEAR(bbox[0].to_number<double>(), -118.67, 0.01);
  EXPECT_NEAR(bbox[3].to_number<double>(), 34.34, 0.01);

  for (const auto& f : features) {
    const auto& feature = f.as_object();
    const auto& properties = feature.at("properties").as_object();
    EXPECT_EQ(properties.size(), 2u);  // slug and name only
    ASSERT_TRUE(geo.find(properties.at("slug").as_string()));
    for (const auto& polygon : feature.at("geometry").at("coordinates").as_array())
      for (const auto& ring : polygon.as_array()) {
        ASSERT_GE(ring.as_array().size(), 4u);
        EXPECT_EQ(ring.as_array().front(), ring.as_array().back());  // closed
      }
  }
  // Five decimals at most.
  EXPECT_EQ(map.find("34.033511"), std::string::npos);
}

TEST(NeighborhoodMap, OutlinesStayTrueToTheShape) {
  const auto geo = core::GeoIndex::from_geojson(la_geojson());
  // A simplified Boyle Heights still holds its own landmark and not downtown's City Hall.
  auto outline = geo.outline("boyle-heights", map_simplify_deg);
  ASSERT_FALSE(outline.polygons.empty());
  auto inside = [&](double lat, double lon) {
    bool in = false;
    const auto& ring = outline.polygons.front().front();
    for (std::size_t i = 1; i < ring.size(); ++i) {
      auto [x0, y0] = ring[i - 1];
      auto [x1, y1] = ring[i];
      if ((y0 <= lat) != (y1 <= lat) && lon < x0 + (lat - y0) / (y1 - y0) * (x1 - x0)) in = !in;
    }
    return in;
  };
  EXPECT_TRUE(inside(34.0335, -118.2110));
  EXPECT_FALSE(inside(34.0537, -118.2428));
  // Outer rings run counterclockwise (RFC 7946): a positive signed area.
  double area = 0;
  const auto& ring = outline.polygons.front().front();
  for (std::size_t i = 1; i < ring.size(); ++i)
    area += ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1];
  EXPECT_GT(area, 0);
  EXPECT_TRUE(geo.outline("atlantis", map_simplify_deg).polygons.empty());
}

}  // namespace
}  // namespace puente::app
