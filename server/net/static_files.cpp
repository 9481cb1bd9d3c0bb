#include "net/static_files.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace puente::net {

namespace fs = std::filesystem;

namespace {

// Pages and scripts change with each release and there is no bundler to put a hash in their
// names: the browser keeps its copy but asks (If-None-Match) before using it; the answer is
// usually a 304 of a few bytes.
constexpr std::string_view kPageCacheControl = "no-cache";

bool safe_segment(std::string_view segment) {
  return !segment.empty() && segment.front() != '.' &&
         segment.find_first_of(std::string_view("\\\0", 2)) == std::string_view::npos;
}

}  // namespace

std::string read_whole(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string_view content_type_of(const fs::path& file) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 11> types{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".webmanifest", "application/manifest+json"},
      {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},
  }};
  auto extension = file.extension().string();
  auto it =
      std::find_if(types.begin(), types.end(), [&](const auto& t) { return t.first == extension; });
  return it == types.end() ? "application/octet-stream" : it->second;
}

StaticFiles::StaticFiles(const fs::path& root) {
  std::error_code ec;
  root_ = fs::canonical(root, ec);
  if (ec || !fs::is_directory(root_))
    throw std::runtime_error("web root " + root.string() + " is not a folder");
}

std::optional<fs::path> resolve_inside(const fs::path& root, std::string_view path) {
  fs::path relative;
  std::size_t start = 0;
  while (start < path.size()) {
    auto end = std::min(path.find('/', start), path.size());
    auto segment = path.substr(start, end - start);
    start = end + 1;
    if (segment.empty()) continue;  // "//" and the leading "/"
    if (!safe_segment(segment)) return std::nullopt;
    relative /= fs::path(std::string(segment));
  }
  std::error_code ec;
  auto file = fs::canonical(root / relative, ec);
  if (ec) return std::nullopt;
  if (fs::is_directory(file, ec)) file = fs::canonical(file / "index.html", ec);
  if (ec || !fs::is_regular_file(file, ec)) return std::nullopt;
  // A symlink may point anywhere: what counts is where the file really is.
  auto [root_end, unused] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  if (root_end != root.end()) return std::nullopt;
  return file;
}

std::optional<fs::path> StaticFiles::resolve(std::string_view path) const {
  return resolve_inside(root_, path);
}

Response StaticFiles::serve(const Request& request, std::string_view path) {
  auto file = resolve(path);
  if (!file) return error_response(http::status::not_found, "not_found", "no such page or file");
  std::error_code ec;
  auto modified = fs::last_write_time(*file, ec);
  auto size = fs::file_size(*file, ec);
  if (ec) return error_response(http::status::not_found, "not_found", "no such page or file");

  std::lock_guard lock(mutex_);
  auto& cached = cache_[file->string()];
  if (cached.body.etag.empty() || cached.modified != modified || cached.size != size) {
    cached.modified = modified;
    cached.size = size;
    cached.body = StaticBody::make(read_whole(*file), std::string(content_type_of(*file)));
  }
  return cached.body.answer(request, kPageCacheControl);
}

}  // namespace puente::net
