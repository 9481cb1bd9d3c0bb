#pragma once
// [geography] geocoder_*: where the network's geocoder is and how long a search may take
// (config/puented.toml documents each; config.cpp reads them; geocoder.hpp uses them).

#include "core/nominatim_search.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>

namespace puente::app {

struct GeocoderSettings {
  core::GeocoderUrl url;
  std::chrono::milliseconds timeout{5000};  // geocoder_timeout_ms: the whole search
  std::filesystem::path ca_file;            // geocoder_ca_file: PEM roots instead of the system's
  std::size_t max_in_flight = 8;            // geocoder_max_searches: at once, on this node
};

}  // namespace puente::app
