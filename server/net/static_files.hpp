#pragma once
// The web pages: files under one root folder, answered to GET.
//
// A request path is checked segment by segment (no "..", no "." names, no hidden files, no
// backslashes or NULs), then resolved canonically, and must still lie inside the root once
// symlinks are followed; anything else, like a missing file, is a JSON 404. A folder means its
// index.html. A file is read once and kept (with its ETag and gzip copy) until its size or
// modification time changes, so an edited page is served at its next request without a restart.
// The reads are blocking: the files are a few kilobytes and each is read once.

#include "net/static_body.hpp"

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace puente::net {

class StaticFiles {
 public:
  // Throws std::runtime_error if `root` is not a folder.
  explicit StaticFiles(const std::filesystem::path& root);

  // `path` is the request's decoded path ("/js/session.js").
  Response serve(const Request& request, std::string_view path);
  const std::filesystem::path& root() const { return root_; }

  // The file under the root that `path` names, if it is one a browser may have; nullopt for
  // anything unsafe or absent.
  std::optional<std::filesystem::path> resolve(std::string_view path) const;

 private:
  struct Cached {
    std::filesystem::file_time_type modified;
    std::uintmax_t size = 0;
    StaticBody body;
  };

  std::filesystem::path root_;  // canonical
  std::mutex mutex_;
  std::unordered_map<std::string, Cached> cache_;
};

// Content-Type by file extension; "application/octet-stream" for what is not a web file.
std::string_view content_type_of(const std::filesystem::path& file);

// The regular file under `root` (canonical) that the request path `path` names, checked as
// above: every segment safe, and the file still inside the root once symlinks are followed.
// A folder means its index.html. nullopt for anything unsafe or absent.
std::optional<std::filesystem::path> resolve_inside(const std::filesystem::path& root,
                                                    std::string_view path);

// The bytes of `file`, blocking; empty if it cannot be read.
std::string read_whole(const std::filesystem::path& file);

}  // namespace puente::net
