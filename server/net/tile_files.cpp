#include "net/tile_files.hpp"

#include "net/static_body.hpp"
#include "net/static_files.hpp"

#include <charconv>
#include <optional>
#include <stdexcept>
#include <string>

namespace puente::net {

namespace fs = std::filesystem;

namespace {

// A day, in seconds: long enough that a board open all night fetches each tile once.
constexpr std::string_view kTileCacheControl = "public, max-age=86400";

// Web Mercator tile schemes stop at zoom 22 or so; 30 keeps 2^z within 32 bits.
constexpr int deepest_zoom = 30;

// A whole number below `limit`, written plainly: digits only, no sign, no leading zero.
std::optional<long long> plain_number(std::string_view text, long long limit) {
  if (text.empty() || text.size() > 10 || (text.size() > 1 && text.front() == '0'))
    return std::nullopt;
  // from_chars takes a '-' ("-0" is 0): one number, one spelling, as the cache keys it.
  for (char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 0 || value >= limit)
    return std::nullopt;
  return value;
}

Response no_tile() { return error_response(http::status::not_found, "not_found", "no such tile"); }

}  // namespace

TileFiles::TileFiles(const fs::path& root, int max_zoom) : max_zoom_(max_zoom) {
  if (max_zoom < 0 || max_zoom > deepest_zoom)
    throw std::runtime_error("tiles: max zoom " + std::to_string(max_zoom) + " is out of range");
  std::error_code ec;
  root_ = fs::canonical(root, ec);
  if (ec || !fs::is_directory(root_))
    throw std::runtime_error("tiles folder " + root.string() + " is not a folder");
}

Response TileFiles::serve(const Request& request, std::string_view z, std::string_view x,
                          std::string_view y_png) const {
  constexpr std::string_view png = ".png";
  if (!y_png.ends_with(png)) return no_tile();
  auto zoom = plain_number(z, max_zoom_ + 1);
  if (!zoom) return no_tile();
  const long long across = 1LL << *zoom;  // tiles per side at this zoom
  auto column = plain_number(x, across);
  auto row = plain_number(y_png.substr(0, y_png.size() - png.size()), across);
  if (!column || !row) return no_tile();

  // The path is rebuilt from the numbers, so it holds nothing but digits; resolve_inside still
  // refuses a symlink that leads out of the folder.
  auto file = resolve_inside(root_, std::to_string(*zoom) + "/" + std::to_string(*column) + "/" +
                                        std::to_string(*row) + std::string(png));
  if (!file) return no_tile();
  auto bytes = read_whole(*file);
  if (bytes.empty()) return no_tile();
  // A PNG is deflated already: no gzip copy.
  return StaticBody::make(std::move(bytes), "image/png", false).answer(request, kTileCacheControl);
}

}  // namespace puente::net
