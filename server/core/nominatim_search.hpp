#pragma once
// Address search through the geocoder a network runs ([geography] geocoder_url), in the
// Nominatim search API that Nominatim, Photon and others speak: where the geocoder is (its
// URL), the request target for one search bounded by the network's area, and the places read
// from its jsonv2 answer. Plain data in and out; the HTTP exchange is app/maps/geocoder.*.
//
//   GET {path}/search?q=<text>&format=jsonv2&limit=<n>&viewbox=<W>,<N>,<E>,<S>&bounded=1
//   -> [{"lat": "34.0483", "lon": "-118.2080", "display_name": "...", ...}, ...]
//
// Nominatim sends lat and lon as strings; some geocoders send numbers: both are read.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace puente::core {

struct GeocoderUrl {
  bool tls = false;  // https
  std::string host;  // a name or an address (IPv6 without brackets)
  std::string port;  // "443", "80" or as written
  std::string path;  // the base path before "/search", without a trailing "/": "" or "/nominatim"
};

// "https://geocoder.example.org" or "http://127.0.0.1:8080/nominatim"; nullopt with `why` set
// for anything else (another scheme, no host, a query or fragment, user info).
std::optional<GeocoderUrl> parse_geocoder_url(std::string_view text, std::string& why);

// {min lon, min lat, max lon, max lat} (GeoIndex::bounds()).
using GeoBounds = std::array<double, 4>;

// The origin-form target of one search: the text percent-encoded, jsonv2, at most `limit`
// places, bounded by `bounds`.
std::string nominatim_search_target(const GeocoderUrl& url, std::string_view text,
                                    std::size_t limit, const GeoBounds& bounds);

struct FoundPlace {
  double lat = 0;
  double lon = 0;
  std::string name;  // display_name, else name, else ""
};

// The places of a jsonv2 answer that lie within `bounds` (a geocoder may ignore bounded=1),
// at most `limit`, in the geocoder's order. nullopt if the body is not a JSON array of places
// with a readable lat and lon each.
std::optional<std::vector<FoundPlace>> nominatim_places(std::string_view body,
                                                        const GeoBounds& bounds, std::size_t limit);

}  // namespace puente::core
