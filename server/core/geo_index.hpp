#pragma once
// Geography: which neighborhood holds a point, and which neighborhoods touch.
//
// Neighborhoods come from a GeoJSON FeatureCollection of Polygon / MultiPolygon features
// (WGS84, [lon, lat] order, holes allowed). Polygons are kept in Boost.Geometry types. A grid
// over the map answers a lookup at once wherever no boundary comes near (neighborhood_grid.hpp);
// elsewhere an R-tree over the polygons' bounding boxes narrows it to a few candidates before the
// exact point-in-polygon test. Adjacency (touching or overlapping boundaries, within a small
// tolerance because real boundary files do not line up exactly) is computed once at load.

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace puente::core {

struct Neighborhood {
  std::string slug;                   // stable key: "boyle-heights"
  std::string name;                   // for people: "Boyle Heights"
  std::vector<std::string> adjacent;  // slugs of touching neighborhoods, sorted
  std::string region;  // the file's region ("eastside"); empty when the feature names none
};

// Which feature properties hold the key, the label and the region.
struct GeoFieldNames {
  std::string slug = "slug";
  std::string name = "name";
  std::string region = "region";  // optional: a feature without it has an empty region
};

// A neighborhood's boundary as a map draws it: polygons, each an outer ring then its holes,
// each ring closed positions of [lon, lat], outer rings counterclockwise (RFC 7946).
struct Outline {
  using Ring = std::vector<std::array<double, 2>>;
  std::vector<std::vector<Ring>> polygons;
};

class GeoIndex {
 public:
  // Parses GeoJSON text. Throws std::runtime_error naming the problem (bad JSON, a feature
  // without the slug property, a duplicate slug, an unsupported geometry type).
  static GeoIndex from_geojson(std::string_view geojson, const GeoFieldNames& fields = {});

  GeoIndex(GeoIndex&&) noexcept;
  GeoIndex& operator=(GeoIndex&&) noexcept;
  ~GeoIndex();

  // The neighborhood whose polygon holds (lat, lon), or nullptr outside every one. A point on
  // a shared boundary belongs to one of the two, always the same one.
  const Neighborhood* locate(double lat, double lon) const;

  // By slug; nullptr if unknown.
  const Neighborhood* find(std::string_view slug) const;

  // All of them, sorted by slug.
  const std::vector<Neighborhood>& neighborhoods() const;

  // The outline of `slug` (empty if unknown) with every vertex that lies within
  // `tolerance_deg` of the simplified line dropped (Douglas-Peucker); a ring left with fewer
  // than 4 positions is left out.
  Outline outline(std::string_view slug, double tolerance_deg) const;
  // {min lon, min lat, max lon, max lat} of all the neighborhoods.
  std::array<double, 4> bounds() const;

 private:
  struct Impl;
  explicit GeoIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace puente::core
