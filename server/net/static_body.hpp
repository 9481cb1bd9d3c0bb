#pragma once
// A body that does not change from one request to the next (a page, a script, the neighborhood
// map), prepared once: its ETag and, when that is smaller, a gzip copy. Answering from it
// handles If-None-Match (304, no body) and Accept-Encoding, so a phone on a slow network
// downloads each file once and compressed.

#include "net/http_types.hpp"

#include <string>
#include <string_view>

namespace puente::net {

struct StaticBody {
  std::string content_type;
  std::string bytes;
  std::string gzipped;  // empty when compression would not help
  std::string etag;     // strong, quoted: "\"1a2b...\""

  // `compress` false skips the gzip copy for what is compressed already (a PNG tile).
  static StaticBody make(std::string bytes, std::string content_type, bool compress = true);

  // 200 with the body (gzipped if the client takes gzip), or 304 when the client's copy is
  // this one. `cache_control` goes out as is ("no-cache": keep it, but ask before using it).
  Response answer(const Request& request, std::string_view cache_control) const;
};

}  // namespace puente::net
