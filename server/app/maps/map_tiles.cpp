#include "app/maps/map_tiles.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace puente::app {

namespace {

constexpr std::array<std::string_view, 3> placeholders = {"{z}", "{x}", "{y}"};

std::runtime_error url_error(const std::string& url, const std::string& why) {
  return std::runtime_error(
      "config: web.tiles_url \"" + url + "\" " + why +
      "; expected a tile server's URL like \"https://tiles.example.org/{z}/{x}/{y}.png\" "
      "or a path of this node like \"/tiles/{z}/{x}/{y}.png\"");
}

// The template with every placeholder replaced by a number, so that it parses as a URL.
std::string with_numbers(std::string text) {
  for (auto name : placeholders)
    for (auto at = text.find(name); at != std::string::npos; at = text.find(name))
      text.replace(at, name.size(), "0");
  return text;
}

// An IPv6 host is taken with or without its brackets.
bool loopback(std::string_view host) {
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]" || host == "::1";
}

// The origin ("https://tiles.example.org:8443") the template loads from; empty for a path.
std::string origin_of(const std::string& url) {
  for (auto name : placeholders)
    if (url.find(name) == std::string::npos)
      throw url_error(url, "does not hold " + std::string(name));
  const auto filled = with_numbers(url);
  if (url.starts_with("/") && !url.starts_with("//")) {
    if (!boost::urls::parse_origin_form(filled)) throw url_error(url, "is not a valid path");
    return {};
  }
  auto parsed = boost::urls::parse_absolute_uri(filled);
  if (!parsed) throw url_error(url, "is not a valid URL");
  auto text = [](auto part) { return std::string(part.data(), part.size()); };
  const auto scheme = text(parsed->scheme());
  const auto host = text(parsed->encoded_host());
  if (parsed->has_userinfo()) throw url_error(url, "holds a user name or password");
  if (host.empty()) throw url_error(url, "names no host");
  if (scheme != "https" && !(scheme == "http" && loopback(host)))
    throw url_error(url,
                    "is not https (plain http only on this machine: 127.0.0.1, localhost, [::1])");
  std::string origin = scheme + "://" + text(parsed->encoded_host_and_port());
  // A placeholder in the host ("https://{z}.tiles.example.org") would make many origins.
  if (!url.starts_with(origin + "/"))
    throw url_error(url, "has a placeholder in its host or no path");
  return origin;
}

}  // namespace

void settle_map_tiles(MapTiles& tiles) {
  if (!tiles.dir.empty()) {
    if (!tiles.url.empty())
      throw std::runtime_error("config: web.tiles_dir is served at " +
                               std::string(served_tiles_url) +
                               "; set web.tiles_url only for tiles from elsewhere, not both");
    std::error_code ec;
    if (!std::filesystem::is_directory(tiles.dir, ec))
      throw std::runtime_error("config: web.tiles_dir \"" + tiles.dir.string() +
                               "\" is not a folder");
    tiles.url = served_tiles_url;
  }
  if (tiles.attribution.size() > max_attribution_bytes)
    throw std::runtime_error("config: web.tiles_attribution is longer than " +
                             std::to_string(max_attribution_bytes) + " bytes");
  if (std::any_of(tiles.attribution.begin(), tiles.attribution.end(),
                  [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
    throw std::runtime_error(
        "config: web.tiles_attribution holds a control character (a line break?)");
  tiles.origin = tiles.url.empty() ? std::string() : origin_of(tiles.url);
}

}  // namespace puente::app
