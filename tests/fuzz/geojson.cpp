// The neighborhoods file as a node loads it at start (core::GeoIndex::from_geojson): bad input
// must be refused with a message (an exception the node's main turns into "cannot start"),
// never crash, and what loads must keep the index's promises: slugs sorted and unique, each
// found by its slug, adjacency symmetric, and a point located in at most one neighborhood.

#include "fuzz_target.hpp"

#include "core/geo_index.hpp"

#include <algorithm>
#include <exception>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace puente;
  using fuzz::fuzz_check;
  std::optional<core::GeoIndex> geo;
  try {
    geo = core::GeoIndex::from_geojson(fuzz::as_text(data, size));
  } catch (const std::exception&) {
    return 0;  // refused, with a message naming the problem
  }

  const auto& all = geo->neighborhoods();
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto& n = all[i];
    fuzz_check(i == 0 || all[i - 1].slug < n.slug, "slugs not sorted and unique");
    fuzz_check(geo->find(n.slug) == &n, "a neighborhood is not found by its slug");
    for (const auto& other : n.adjacent) {
      const auto* o = geo->find(other);
      fuzz_check(o && o != &n, "adjacent to itself or to an unknown slug");
      fuzz_check(std::binary_search(o->adjacent.begin(), o->adjacent.end(), n.slug),
                 "adjacency not symmetric");
    }
  }
  // Points the seeds' shapes hold, their edges, and the odd ones.
  for (double lat : {-90.0, 0.0, 0.5, 1.0, 34.04, 90.0})
    for (double lon : {-180.0, -118.21, 0.0, 0.5, 1.0, 180.0}) {
      const auto* n = geo->locate(lat, lon);
      fuzz_check(!n || geo->find(n->slug) == n,
                 "locate answered a neighborhood the index does not hold");
    }
  return 0;
}
