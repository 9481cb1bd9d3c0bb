// JPEG: a sequence of marker segments (FF xx, then a 2-byte big-endian length that counts
// itself) up to SOS (FF DA), after which the entropy-coded image runs to EOI; the segments
// before SOS are where metadata lives. PNG: an 8-byte signature, then chunks of length (4),
// type (4), data, CRC (4); dropping a chunk whole keeps every other CRC valid.

#include "core/location_metadata.hpp"

#include <cstdint>

namespace puente::core {

namespace {

std::uint32_t big_endian_of(std::string_view b, std::size_t at, int bytes) {
  std::uint32_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

std::optional<std::string> jpeg_without_metadata(std::string_view b) {
  if (b.size() < 4 || b.substr(0, 2) != "\xFF\xD8") return std::nullopt;
  std::string out(b.substr(0, 2));
  std::size_t at = 2;
  while (at + 4 <= b.size()) {
    if (static_cast<unsigned char>(b[at]) != 0xFF) return std::nullopt;
    auto marker = static_cast<unsigned char>(b[at + 1]);
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0xDA) {  // start of scan: the image itself, kept to the end
      out.append(b.substr(at));
      return out;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {  // no length
      out.append(b.substr(at, 2));
      at += 2;
      continue;
    }
    auto length = big_endian_of(b, at + 2, 2);
    if (length < 2 || at + 2 + length > b.size()) return std::nullopt;
    auto payload = b.substr(at + 4, length - 2);
    bool metadata = marker == 0xE1 && (payload.starts_with(std::string_view("Exif\0\0", 6)) ||
                                       payload.starts_with("http://ns.adobe.com/xap/1.0/"));
    if (!metadata) out.append(b.substr(at, 2 + length));
    at += 2 + length;
  }
  return std::nullopt;  // no image data: not a whole JPEG
}

std::optional<std::string> png_without_metadata(std::string_view b) {
  constexpr std::string_view signature = "\x89PNG\r\n\x1A\n";
  if (!b.starts_with(signature)) return std::nullopt;
  std::string out(signature);
  std::size_t at = signature.size();
  while (at + 12 <= b.size()) {
    auto length = big_endian_of(b, at, 4);
    if (length > b.size() - at - 12) return std::nullopt;
    auto type = b.substr(at + 4, 4);
    auto data = b.substr(at + 8, length);
    bool metadata = type == "eXIf" || (type == "iTXt" && data.starts_with("XML:com.adobe.xmp"));
    if (!metadata) out.append(b.substr(at, 12 + length));
    at += 12 + length;
    if (type == "IEND") return out;
  }
  return std::nullopt;  // no IEND: not a whole PNG
}

}  // namespace

std::optional<std::string> without_location_metadata(std::string_view bytes,
                                                     std::string_view content_type) {
  if (content_type == "image/jpeg") return jpeg_without_metadata(bytes);
  if (content_type == "image/png") return png_without_metadata(bytes);
  return std::nullopt;
}

}  // namespace puente::core
