// Geography: GeoJSON neighborhoods in Boost.Geometry types, an R-tree over their bounding boxes,
// and the adjacency between them.
//
// Data structures:
//   neighborhoods  sorted by slug; an index into this vector names a neighborhood everywhere
//   shapes         shapes[i] is the MultiPolygon of neighborhoods[i] (a Polygon becomes a
//                  MultiPolygon of one), corrected to Boost's clockwise-outer, closed rings
//   boxes          R-tree of (bounding box, index), bulk-loaded once
//   grid           the answer of each cell of the map no boundary meets (neighborhood_grid.hpp),
//                  read before the R-tree and the polygons
//   adjacency      found once at load (see build_adjacency) and stored in each Neighborhood
//
// Coordinates are kept as cartesian (x = lon, y = lat) degrees. At city scale the distortion is
// irrelevant for point-in-polygon (it is exact in any coordinate system where edges are straight,
// which is how GeoJSON draws them), and only makes the adjacency tolerance slightly anisotropic.

#include "core/geo_index.hpp"

#include "core/neighborhood_grid.hpp"

#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <boost/geometry/geometries/segment.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <boost/json.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>

namespace puente::core {

namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
namespace json = boost::json;

using Point = bg::model::d2::point_xy<double>;
using Polygon = bg::model::polygon<Point>;
using MultiPolygon = bg::model::multi_polygon<Polygon>;
using Box = bg::model::box<Point>;
using BoxEntry = std::pair<Box, std::size_t>;
using Rtree = bgi::rtree<BoxEntry, bgi::rstar<16>>;
using Segment = bg::model::segment<Point>;
using SegmentEntry = std::pair<Segment, std::size_t>;  // (boundary segment, owner's index)
using SegmentTree = bgi::rtree<SegmentEntry, bgi::rstar<16>>;

// Two neighborhoods touch when their boundaries come within this many degrees: 1e-4 degrees is
// about 11 m north-south and 9 m east-west at LA's latitude. Boundary files drawn separately
// leave slivers and overlaps of a few metres between neighbors; streets are wider than that, so
// the tolerance joins neighbors without joining neighborhoods across a block. (The LA Times files
// share their vertices exactly: there the tolerance adds no pair.)
constexpr double kAdjacencyToleranceDeg = 1e-4;

struct ParsedFeature {
  Neighborhood neighborhood;
  MultiPolygon shape;
};

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error("geojson: " + what); }

std::string feature_label(std::size_t index, const std::string& slug = {}) {
  std::string label = "feature " + std::to_string(index);
  if (!slug.empty()) label += " (\"" + slug + "\")";
  return label;
}

const json::array& as_array(const json::value& v, const std::string& what) {
  if (!v.is_array()) fail(what + " must be an array");
  return v.get_array();
}

Point parse_position(const json::value& v, const std::string& where) {
  const auto& pos = as_array(v, where + ": a position");
  // [lon, lat] with an optional altitude we ignore.
  if (pos.size() < 2 || !pos[0].is_number() || !pos[1].is_number())
    fail(where + ": a position must be [lon, lat] numbers");
  const double lon = pos[0].to_number<double>();
  const double lat = pos[1].to_number<double>();
  if (!std::isfinite(lon) || !std::isfinite(lat)) fail(where + ": a position is not finite");
  return Point(lon, lat);
}

Polygon::ring_type parse_ring(const json::value& v, const std::string& where) {
  const auto& positions = as_array(v, where + ": a ring");
  // RFC 7946 3.1.6: a linear ring has at least four positions, the last equal to the first.
  if (positions.size() < 4) fail(where + ": a ring needs at least 4 positions");
  Polygon::ring_type ring;
  ring.reserve(positions.size());
  for (const auto& p : positions) ring.push_back(parse_position(p, where));
  return ring;
}

Polygon parse_polygon(const json::value& v, const std::string& where) {
  const auto& rings = as_array(v, where + ": polygon coordinates");
  if (rings.empty()) fail(where + ": a polygon needs an outer ring");
  Polygon polygon;
  polygon.outer() = parse_ring(rings[0], where);
  for (std::size_t i = 1; i < rings.size(); ++i)
    polygon.inners().push_back(parse_ring(rings[i], where));
  return polygon;
}

MultiPolygon parse_geometry(const json::value& v, const std::string& where) {
  if (!v.is_object()) fail(where + ": no geometry");
  const auto& geometry = v.get_object();
  const auto* type = geometry.if_contains("type");
  const auto* coordinates = geometry.if_contains("coordinates");
  if (!type || !type->is_string()) fail(where + ": geometry without a type");
  if (!coordinates) fail(where + ": geometry without coordinates");

  const std::string_view kind = type->get_string();
  MultiPolygon shape;
  if (kind == "Polygon") {
    shape.push_back(parse_polygon(*coordinates, where));
  } else if (kind == "MultiPolygon") {
    for (const auto& p : as_array(*coordinates, where + ": multipolygon coordinates"))
      shape.push_back(parse_polygon(p, where));
    if (shape.empty()) fail(where + ": a MultiPolygon without polygons");
  } else {
    fail(where + ": unsupported geometry type \"" + std::string(kind) +
         "\" (only Polygon and MultiPolygon)");
  }
  // RFC 7946 rings are counterclockwise outside, clockwise for holes; Boost's default polygon is
  // the opposite. correct() fixes orientation (and closes open rings) so covered_by() and
  // distance() see the holes as holes.
  bg::correct(shape);
  return shape;
}

std::string string_property(const json::object* properties, const std::string& key) {
  if (!properties) return {};
  const auto* v = properties->if_contains(key);
  if (!v || !v->is_string()) return {};
  return std::string(v->get_string());
}

ParsedFeature parse_feature(const json::value& v, std::size_t index, const GeoFieldNames& fields) {
  if (!v.is_object()) fail(feature_label(index) + " is not an object");
  const auto& feature = v.get_object();
  const auto* props_value = feature.if_contains("properties");
  const json::object* properties =
      props_value && props_value->is_object() ? &props_value->get_object() : nullptr;

  ParsedFeature parsed;
  parsed.neighborhood.slug = string_property(properties, fields.slug);
  if (parsed.neighborhood.slug.empty())
    fail(feature_label(index) + " has no string property \"" + fields.slug + "\" (the slug)");
  // A missing label is not worth refusing the file for: show the slug instead.
  parsed.neighborhood.name = string_property(properties, fields.name);
  if (parsed.neighborhood.name.empty()) parsed.neighborhood.name = parsed.neighborhood.slug;
  parsed.neighborhood.region = string_property(properties, fields.region);

  const auto* geometry = feature.if_contains("geometry");
  if (!geometry) fail(feature_label(index, parsed.neighborhood.slug) + " has no geometry");
  parsed.shape = parse_geometry(*geometry, feature_label(index, parsed.neighborhood.slug));
  return parsed;
}

std::vector<ParsedFeature> parse_features(std::string_view geojson, const GeoFieldNames& fields) {
  boost::system::error_code ec;
  const json::value doc = json::parse(json::string_view(geojson.data(), geojson.size()), ec);
  if (ec) fail("invalid JSON: " + ec.message());
  if (!doc.is_object()) fail("the document is not a JSON object");
  const auto* type = doc.get_object().if_contains("type");
  if (!type || !type->is_string() || type->get_string() != "FeatureCollection")
    fail("the document is not a FeatureCollection");
  const auto* features = doc.get_object().if_contains("features");
  if (!features) fail("the FeatureCollection has no \"features\"");

  std::vector<ParsedFeature> parsed;
  std::unordered_map<std::string, std::size_t> first_with_slug;
  const auto& list = as_array(*features, "\"features\"");
  parsed.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    parsed.push_back(parse_feature(list[i], i, fields));
    const auto& slug = parsed.back().neighborhood.slug;
    const auto [it, inserted] = first_with_slug.emplace(slug, i);
    if (!inserted)
      fail("duplicate slug \"" + slug + "\" in features " + std::to_string(it->second) + " and " +
           std::to_string(i));
  }
  return parsed;
}

// The bounding box of a shape; outer rings hold every point that matters (holes lie inside them).
// By hand rather than bg::envelope, whose multi-polygon strategy trips GCC's
// -Wmaybe-uninitialized at -O2.
Box envelope_of(const MultiPolygon& shape) {
  double min_x = std::numeric_limits<double>::infinity(), min_y = min_x;
  double max_x = -min_x, max_y = -min_x;
  for (const auto& polygon : shape) {
    for (const auto& p : polygon.outer()) {
      min_x = std::min(min_x, p.x());
      min_y = std::min(min_y, p.y());
      max_x = std::max(max_x, p.x());
      max_y = std::max(max_y, p.y());
    }
  }
  return Box(Point(min_x, min_y), Point(max_x, max_y));
}

// Every edge of every ring (outer and holes), tagged with the index of its shape.
std::vector<SegmentEntry> boundary_segments(const std::vector<MultiPolygon>& shapes) {
  std::vector<SegmentEntry> segments;
  const auto add_ring = [&](const Polygon::ring_type& ring, std::size_t owner) {
    for (std::size_t k = 1; k < ring.size(); ++k)
      segments.emplace_back(Segment(ring[k - 1], ring[k]), owner);
  };
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    for (const auto& polygon : shapes[i]) {
      add_ring(polygon.outer(), i);
      for (const auto& hole : polygon.inners()) add_ring(hole, i);
    }
  }
  return segments;
}

Box expanded(Box box, double margin) {
  box.min_corner().x(box.min_corner().x() - margin);
  box.min_corner().y(box.min_corner().y() - margin);
  box.max_corner().x(box.max_corner().x() + margin);
  box.max_corner().y(box.max_corner().y() + margin);
  return box;
}

}  // namespace

struct GeoIndex::Impl {
  std::vector<Neighborhood> neighborhoods;  // sorted by slug
  std::vector<MultiPolygon> shapes;         // parallel to neighborhoods
  Rtree boxes;                              // (bounding box, index into neighborhoods)
  NeighborhoodGrid grid;                    // answers most points without the polygons

  void build_adjacency(const std::vector<BoxEntry>& envelopes);
  void build_grid();
  NeighborhoodGrid::Answer holder_of(const Point& point) const;
};

// covered_by counts the boundary as inside, so a point on a shared edge is held by both
// neighbors; the lowest index (the lowest slug) wins, the same one every time.
NeighborhoodGrid::Answer GeoIndex::Impl::holder_of(const Point& point) const {
  std::optional<std::size_t> best;
  for (auto it = boxes.qbegin(bgi::intersects(point)); it != boxes.qend(); ++it) {
    const std::size_t i = it->second;
    if (best && *best < i) continue;
    if (bg::covered_by(point, shapes[i])) best = i;
  }
  return best ? static_cast<NeighborhoodGrid::Answer>(*best) : NeighborhoodGrid::nowhere;
}

void GeoIndex::Impl::build_grid() {
  std::vector<NeighborhoodGrid::Edge> edges;
  for (const auto& [segment, owner] : boundary_segments(shapes))
    edges.push_back({segment.first.x(), segment.first.y(), segment.second.x(), segment.second.y()});
  grid = NeighborhoodGrid(edges, [this](double x, double y) { return holder_of(Point(x, y)); });
}

// Two shapes lie within the tolerance of each other when a boundary segment of one comes that
// close to a boundary segment of the other, or when one lies inside the other without their
// boundaries meeting. That is bg::distance(a, b) <= tolerance, computed for all pairs at once:
// one R-tree over every boundary segment finds the close segment pairs in O(n log n). It gives
// the same pairs as a bg::distance() per candidate pair of shapes, which rescans both boundaries
// each time: on the 270-shape county file 0.1 s instead of 0.19 s in a release build, and 3 s
// instead of 19 s under the sanitizers.
void GeoIndex::Impl::build_adjacency(const std::vector<BoxEntry>& envelopes) {
  // Adjacency lists by index; a neighborhood has a handful of neighbors, so a linear search of
  // its list is the cheapest "already known" test.
  std::vector<std::vector<std::size_t>> touching(shapes.size());
  const auto known = [&](std::size_t i, std::size_t j) {
    return std::find(touching[i].begin(), touching[i].end(), j) != touching[i].end();
  };
  const auto mark = [&](std::size_t i, std::size_t j) {
    touching[i].push_back(j);
    touching[j].push_back(i);
  };

  // Close boundaries: each segment against the segments of other shapes within its box, widened.
  std::vector<SegmentEntry> segments = boundary_segments(shapes);
  const SegmentTree segment_tree(segments.begin(), segments.end());
  std::vector<SegmentEntry> near;
  for (const auto& [segment, i] : segments) {
    near.clear();
    segment_tree.query(
        bgi::intersects(expanded(bg::return_envelope<Box>(segment), kAdjacencyToleranceDeg)),
        std::back_inserter(near));
    for (const auto& [other, j] : near) {
      if (j <= i || known(i, j)) continue;
      if (bg::distance(segment, other) <= kAdjacencyToleranceDeg) mark(i, j);
    }
  }

  // Nesting: a polygon of one shape inside the other with no boundary near. Such a polygon lies
  // wholly inside or wholly outside the other shape, so one of its vertices decides.
  const auto has_polygon_inside = [&](std::size_t inner, std::size_t outer) {
    return std::any_of(shapes[inner].begin(), shapes[inner].end(), [&](const Polygon& p) {
      return !p.outer().empty() && bg::covered_by(p.outer().front(), shapes[outer]);
    });
  };
  std::vector<BoxEntry> overlapping;
  for (const auto& [envelope, i] : envelopes) {
    overlapping.clear();
    boxes.query(bgi::intersects(envelope), std::back_inserter(overlapping));
    for (const auto& [box, j] : overlapping) {
      if (j <= i || known(i, j)) continue;
      if (has_polygon_inside(i, j) || has_polygon_inside(j, i)) mark(i, j);
    }
  }

  // Indices follow slug order, so sorting indices sorts the slugs.
  for (std::size_t i = 0; i < touching.size(); ++i) {
    std::sort(touching[i].begin(), touching[i].end());
    auto& adjacent = neighborhoods[i].adjacent;
    adjacent.clear();
    for (std::size_t j : touching[i]) adjacent.push_back(neighborhoods[j].slug);
  }
}

GeoIndex GeoIndex::from_geojson(std::string_view geojson, const GeoFieldNames& fields) {
  auto parsed = parse_features(geojson, fields);
  std::sort(parsed.begin(), parsed.end(), [](const ParsedFeature& a, const ParsedFeature& b) {
    return a.neighborhood.slug < b.neighborhood.slug;
  });

  auto impl = std::make_unique<Impl>();
  impl->neighborhoods.reserve(parsed.size());
  impl->shapes.reserve(parsed.size());
  std::vector<BoxEntry> entries;
  entries.reserve(parsed.size());
  for (auto& feature : parsed) {
    entries.emplace_back(envelope_of(feature.shape), impl->shapes.size());
    impl->neighborhoods.push_back(std::move(feature.neighborhood));
    impl->shapes.push_back(std::move(feature.shape));
  }
  // The range constructor bulk-loads (packs) the tree: faster to build and to query than inserts.
  impl->boxes = Rtree(entries.begin(), entries.end());
  impl->build_adjacency(entries);
  impl->build_grid();
  return GeoIndex(std::move(impl));
}

GeoIndex::GeoIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GeoIndex::GeoIndex(GeoIndex&&) noexcept = default;
GeoIndex& GeoIndex::operator=(GeoIndex&&) noexcept = default;
GeoIndex::~GeoIndex() = default;

const Neighborhood* GeoIndex::locate(double lat, double lon) const {
  // NaN would compare false against every box and wander the tree; refuse it up front.
  if (!std::isfinite(lat) || !std::isfinite(lon)) return nullptr;
  const auto known = impl_->grid.known(lon, lat);
  const auto holder = known ? *known : impl_->holder_of(Point(lon, lat));
  return holder == NeighborhoodGrid::nowhere
             ? nullptr
             : &impl_->neighborhoods[static_cast<std::size_t>(holder)];
}

const Neighborhood* GeoIndex::find(std::string_view slug) const {
  const auto& all = impl_->neighborhoods;
  const auto it =
      std::lower_bound(all.begin(), all.end(), slug,
                       [](const Neighborhood& n, std::string_view s) { return n.slug < s; });
  return it != all.end() && it->slug == slug ? &*it : nullptr;
}

const std::vector<Neighborhood>& GeoIndex::neighborhoods() const { return impl_->neighborhoods; }

Outline GeoIndex::outline(std::string_view slug, double tolerance_deg) const {
  Outline out;
  const Neighborhood* n = find(slug);
  if (!n) return out;
  const auto add_ring = [tolerance_deg](const Polygon::ring_type& ring,
                                        std::vector<Outline::Ring>& rings) {
    Polygon::ring_type simple;
    bg::simplify(ring, simple, tolerance_deg);
    if (simple.size() < 4) return false;
    auto& positions = rings.emplace_back();
    // Boost keeps outer rings clockwise; RFC 7946 wants them counterclockwise (holes the other
    // way).
    for (auto p = simple.rbegin(); p != simple.rend(); ++p) positions.push_back({p->x(), p->y()});
    return true;
  };
  for (const auto& polygon :
       impl_->shapes[static_cast<std::size_t>(n - impl_->neighborhoods.data())]) {
    std::vector<Outline::Ring> rings;
    if (!add_ring(polygon.outer(), rings)) continue;  // an islet smaller than the tolerance
    for (const auto& hole : polygon.inners()) add_ring(hole, rings);
    out.polygons.push_back(std::move(rings));
  }
  return out;
}

std::array<double, 4> GeoIndex::bounds() const {
  const auto all = impl_->boxes.bounds();
  return {bg::get<bg::min_corner, 0>(all), bg::get<bg::min_corner, 1>(all),
          bg::get<bg::max_corner, 0>(all), bg::get<bg::max_corner, 1>(all)};
}

}  // namespace puente::core
