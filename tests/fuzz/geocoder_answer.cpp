// What the network's geocoder answers a search (core/nominatim_search.hpp): its jsonv2 body, as
// the node reads the places out of it before they reach the intake page.
//
// Beyond "no crash": every place read is a finite point inside the network's area (the geocoder
// may ignore bounded=1), and there are no more than were asked for.

#include "fuzz_target.hpp"

#include "core/nominatim_search.hpp"

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using puente::fuzz::fuzz_check;
  // Around Boyle Heights: {min lon, min lat, max lon, max lat}.
  constexpr puente::core::GeoBounds kArea = {-118.23, 34.02, -118.19, 34.06};
  constexpr std::size_t kLimit = 3;
  const auto places =
      puente::core::nominatim_places(puente::fuzz::as_text(data, size), kArea, kLimit);
  if (!places) return 0;
  fuzz_check(places->size() <= kLimit, "more places than were asked for");
  for (const auto& place : *places)
    fuzz_check(std::isfinite(place.lat) && std::isfinite(place.lon) && place.lon >= kArea[0] &&
                   place.lat >= kArea[1] && place.lon <= kArea[2] && place.lat <= kArea[3],
               "a place outside the network's area");
  return 0;
}
