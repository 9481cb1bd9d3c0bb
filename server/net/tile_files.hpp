#pragma once
// Map tiles a node serves itself ([web] tiles_dir): <root>/<z>/<x>/<y>.png, the layout tile
// tools write (gdal2tiles --xyz, most tile downloaders), answered to GET /tiles/{z}/{x}/{y}.png.
// Only that shape is served: z, x and y whole numbers written plainly ("7", not "07"), z at most
// the configured max zoom, x and y below 2^z; then the path checks of the pages
// (static_files.hpp: inside the root once symlinks are followed). Anything else is a JSON 404.
//
// Unlike the pages, tiles are not kept in memory: a city's tiles down to street level run to
// gigabytes. Each request reads its file (tens of kilobytes; the kernel's page cache keeps the
// popular ones). A tile goes out with an ETag and may be kept a day without asking: tiles change
// seldom, and a phone on a slow network should fetch each once.

#include "net/http_types.hpp"

#include <filesystem>
#include <string_view>

namespace puente::net {

class TileFiles {
 public:
  // Throws std::runtime_error if `root` is not a folder.
  TileFiles(const std::filesystem::path& root, int max_zoom);

  // `z`, `x` and `y_png` ("1403.png") are the route's last three path segments, decoded.
  Response serve(const Request& request, std::string_view z, std::string_view x,
                 std::string_view y_png) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;  // canonical
  int max_zoom_;
};

}  // namespace puente::net
