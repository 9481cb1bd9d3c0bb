#pragma once
// The Los Angeles test data (../shared/data/la, never copied into this repository), for the
// core tests that check decisions against the real map.

#include "core/geo_index.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace puente::core::test {

inline const std::string kLaData = PUENTE_LA_DATA;

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The City's neighborhoods, parsed once per program: the file takes a noticeable time under
// the sanitizers.
inline const GeoIndex& la_city() {
  static const GeoIndex index =
      GeoIndex::from_geojson(read_file(kLaData + "/la-city-neighborhoods-v6.geojson"));
  return index;
}

}  // namespace puente::core::test
