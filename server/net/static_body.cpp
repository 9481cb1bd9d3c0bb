#include "net/static_body.hpp"

#include <zlib.h>

#include <cstdint>
#include <cstdio>

namespace puente::net {

namespace {

// Below this, gzip's header and a round of deflate cost more than they save.
constexpr std::size_t min_gzip_bytes = 512;

std::string gzip(std::string_view bytes) {
  z_stream z{};
  // windowBits 15 + 16: a gzip wrapper rather than zlib's, which is what Content-Encoding means.
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return {};
  std::string out(deflateBound(&z, static_cast<uLong>(bytes.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int result = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return result == Z_STREAM_END ? out : std::string();
}

// FNV-1a, 64 bits: a content fingerprint for caches, not a defence against anyone.
std::string fingerprint(std::string_view bytes) {
  std::uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : bytes) hash = (hash ^ c) * 1099511628211ull;
  char text[24];
  std::snprintf(text, sizeof text, "\"%016llx\"", static_cast<unsigned long long>(hash));
  return text;
}

bool accepts_gzip(std::string_view accept_encoding) {
  auto at = accept_encoding.find("gzip");
  if (at == std::string_view::npos) return false;
  // "gzip;q=0" is a refusal.
  auto rest = accept_encoding.substr(at + 4);
  auto end = rest.find(',');
  auto params = rest.substr(0, end);
  return params.find("q=0") == std::string_view::npos ||
         params.find("q=0.") != std::string_view::npos;
}

}  // namespace

StaticBody StaticBody::make(std::string bytes, std::string content_type, bool compress) {
  StaticBody body;
  body.content_type = std::move(content_type);
  body.etag = fingerprint(bytes);
  if (compress && bytes.size() >= min_gzip_bytes) {
    body.gzipped = gzip(bytes);
    if (body.gzipped.size() >= bytes.size()) body.gzipped.clear();
  }
  body.bytes = std::move(bytes);
  return body;
}

Response StaticBody::answer(const Request& request, std::string_view cache_control) const {
  const bool current = request[http::field::if_none_match].find(etag) != std::string_view::npos;
  Response response{current ? http::status::not_modified : http::status::ok, request.version()};
  response.set(http::field::etag, etag);
  response.set(http::field::cache_control, cache_control);
  response.set(http::field::vary, "Accept-Encoding");
  if (current) return response;
  response.set(http::field::content_type, content_type);
  if (!gzipped.empty() && accepts_gzip(request[http::field::accept_encoding])) {
    response.set(http::field::content_encoding, "gzip");
    response.body() = gzipped;
  } else {
    response.body() = bytes;
  }
  return response;
}

}  // namespace puente::net
