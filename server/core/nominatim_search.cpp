// Address search in the Nominatim search API: see nominatim_search.hpp.
#include "core/nominatim_search.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>

namespace puente::core {

namespace {

// A coordinate as Nominatim writes it ("34.0483") or as a number; nullopt otherwise.
std::optional<double> nominatim_coordinate(const boost::json::value* v) {
  if (!v) return std::nullopt;
  double out = 0;
  if (v->is_string()) {
    const auto& s = v->get_string();
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  } else if (v->is_number()) {
    out = v->to_number<double>();
  } else {
    return std::nullopt;
  }
  if (!std::isfinite(out)) return std::nullopt;
  return out;
}

std::string nominatim_degrees(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return buf;
}

}  // namespace

std::optional<GeocoderUrl> parse_geocoder_url(std::string_view text, std::string& why) {
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) {
    why = "not an absolute URL";
    return std::nullopt;
  }
  GeocoderUrl url;
  const auto scheme = parsed->scheme();
  if (scheme != "https" && scheme != "http") {
    why = "the scheme must be http or https";
    return std::nullopt;
  }
  url.tls = scheme == "https";
  if (parsed->encoded_host().empty()) {
    why = "it names no host";
    return std::nullopt;
  }
  if (parsed->has_userinfo() || parsed->has_query() || parsed->has_fragment()) {
    why = "a geocoder URL holds no user, query or fragment: only where the search API is";
    return std::nullopt;
  }
  // Without the brackets of an IPv6 literal: what the resolver takes.
  url.host = std::string(parsed->encoded_host_address());
  url.port = parsed->has_port() ? std::string(parsed->port()) : (url.tls ? "443" : "80");
  url.path = std::string(parsed->encoded_path());
  while (url.path.ends_with('/')) url.path.pop_back();
  // "https://geocoder.example.org/search" names the search itself: the base is before it.
  if (url.path.ends_with("/search")) url.path.resize(url.path.size() - 7);
  return url;
}

std::string nominatim_search_target(const GeocoderUrl& url, std::string_view text,
                                    std::size_t limit, const GeoBounds& bounds) {
  // Every byte of the text but the unreserved ones percent-encoded ("=" and "&" too): nothing
  // in it can end the value or add a parameter, whatever parser the geocoder uses.
  const auto value = [](std::string_view raw) {
    return boost::urls::encode(raw, boost::urls::unreserved_chars);
  };
  // viewbox is <x1>,<y1>,<x2>,<y2>: west, north, east, south.
  const auto viewbox = nominatim_degrees(bounds[0]) + "," + nominatim_degrees(bounds[3]) + "," +
                       nominatim_degrees(bounds[2]) + "," + nominatim_degrees(bounds[1]);
  return url.path + "/search?q=" + value(text) + "&format=jsonv2&limit=" + std::to_string(limit) +
         "&viewbox=" + viewbox + "&bounded=1";
}

std::optional<std::vector<FoundPlace>> nominatim_places(std::string_view body,
                                                        const GeoBounds& bounds,
                                                        std::size_t limit) {
  boost::system::error_code ec;
  auto doc = boost::json::parse(body, ec);
  if (ec || !doc.is_array()) return std::nullopt;
  std::vector<FoundPlace> places;
  for (const auto& item : doc.get_array()) {
    if (!item.is_object()) return std::nullopt;
    const auto& place = item.get_object();
    auto lat = nominatim_coordinate(place.if_contains("lat"));
    auto lon = nominatim_coordinate(place.if_contains("lon"));
    if (!lat || !lon || *lat < -90 || *lat > 90 || *lon < -180 || *lon > 180) return std::nullopt;
    if (*lon < bounds[0] || *lat < bounds[1] || *lon > bounds[2] || *lat > bounds[3]) continue;
    if (places.size() == limit) continue;  // the rest are still checked: a bad answer is bad
    FoundPlace found{*lat, *lon, {}};
    for (const char* key : {"display_name", "name"})
      if (const auto* name = place.if_contains(key); name && name->is_string()) {
        found.name = std::string(name->get_string());
        break;
      }
    places.push_back(std::move(found));
  }
  return places;
}

}  // namespace puente::core
