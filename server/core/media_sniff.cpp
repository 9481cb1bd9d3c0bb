// The magic numbers of the media formats an observer's phone makes, and the names a browser
// gives them (File.type): Safari says video/quicktime for an iPhone video, Chrome video/mp4 or
// video/webm, a recorder audio/webm or audio/mp4.

#include "core/media_sniff.hpp"

#include "core/utf8.hpp"

#include <algorithm>

namespace puente::core {

namespace {

bool starts_with_bytes(std::string_view head, std::string_view magic, std::size_t at = 0) {
  return head.size() >= at + magic.size() && head.substr(at, magic.size()) == magic;
}

SniffedMedia iso_media_of(std::string_view head) {
  // ISO BMFF: box size (4 bytes), "ftyp", the major brand.
  auto brand = head.size() >= 12 ? head.substr(8, 4) : std::string_view();
  if (brand == "heic" || brand == "heix" || brand == "mif1" || brand == "heif")
    return {"image/heic", {MediaKind::photo}, {"image/heic", "image/heif"}};
  std::vector<std::string> names = {"video/mp4", "video/quicktime", "audio/mp4", "audio/x-m4a",
                                    "audio/m4a", "video/3gpp",      "audio/3gpp"};
  if (brand == "qt  ") return {"video/quicktime", {MediaKind::video, MediaKind::audio}, names};
  if (brand == "M4A ") return {"audio/mp4", {MediaKind::audio}, names};
  if (brand.starts_with("3g")) return {"video/3gpp", {MediaKind::video, MediaKind::audio}, names};
  return {"video/mp4", {MediaKind::video, MediaKind::audio}, names};
}

}  // namespace

SniffedMedia sniff_media(std::string_view head) {
  using K = MediaKind;
  if (starts_with_bytes(head, "\xFF\xD8\xFF"))
    return {"image/jpeg", {K::photo}, {"image/jpeg", "image/jpg"}};
  if (starts_with_bytes(head, "\x89PNG\r\n\x1A\n")) return {"image/png", {K::photo}, {"image/png"}};
  if (starts_with_bytes(head, "RIFF") && starts_with_bytes(head, "WEBP", 8))
    return {"image/webp", {K::photo}, {"image/webp"}};
  if (starts_with_bytes(head, "RIFF") && starts_with_bytes(head, "WAVE", 8))
    return {"audio/wav", {K::audio}, {"audio/wav", "audio/x-wav", "audio/wave"}};
  if (starts_with_bytes(head, "ftyp", 4)) return iso_media_of(head);
  if (starts_with_bytes(head, "\x1A\x45\xDF\xA3"))
    return {"video/webm", {K::video, K::audio}, {"video/webm", "audio/webm", "video/x-matroska"}};
  if (starts_with_bytes(head, "OggS"))
    return {"audio/ogg", {K::audio, K::video}, {"audio/ogg", "video/ogg", "audio/opus"}};
  if (starts_with_bytes(head, "ID3") ||
      (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0xFF &&
       (static_cast<unsigned char>(head[1]) & 0xE0) == 0xE0))
    return {"audio/mpeg", {K::audio}, {"audio/mpeg", "audio/mp3"}};
  return {};
}

bool media_matches(MediaKind kind, std::string_view declared_type, std::string_view head) {
  // "image/jpeg; name=x" and "IMAGE/JPEG" name the same type.
  std::string type(declared_type.substr(0, declared_type.find(';')));
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  while (!type.empty() && type.back() == ' ') type.pop_back();
  if (kind == MediaKind::note) return type == "text/plain";
  auto sniffed = sniff_media(head);
  if (sniffed.content_type.empty()) return false;
  return std::find(sniffed.kinds.begin(), sniffed.kinds.end(), kind) != sniffed.kinds.end() &&
         std::find(sniffed.names.begin(), sniffed.names.end(), type) != sniffed.names.end();
}

bool is_note_text(std::string_view bytes) {
  for (std::size_t at = 0; at < bytes.size();) {
    auto cp = next_code_point(bytes, at);
    // U+FFFD read from anything but its own three bytes is a broken sequence.
    if (cp.value == kReplacementCharacter && bytes.substr(at, 3) != "\xEF\xBF\xBD") return false;
    if (cp.value < 0x20 && cp.value != '\t' && cp.value != '\n' && cp.value != '\r') return false;
    if (cp.value == 0x7F) return false;
    at += cp.bytes;
  }
  return true;
}

std::string media_content_type(MediaKind kind, std::string_view head) {
  if (kind == MediaKind::note) return "text/plain; charset=utf-8";
  return sniff_media(head).content_type;
}

std::string_view media_extension(std::string_view content_type) {
  static constexpr std::pair<std::string_view, std::string_view> extensions[] = {
      {"image/jpeg", "jpg"},
      {"image/png", "png"},
      {"image/webp", "webp"},
      {"image/heic", "heic"},
      {"video/mp4", "mp4"},
      {"video/quicktime", "mov"},
      {"video/3gpp", "3gp"},
      {"audio/mp4", "m4a"},
      {"video/webm", "webm"},
      {"audio/ogg", "ogg"},
      {"audio/mpeg", "mp3"},
      {"audio/wav", "wav"},
      {"text/plain; charset=utf-8", "txt"}};
  for (const auto& [type, extension] : extensions)
    if (type == content_type) return extension;
  return "bin";
}

}  // namespace puente::core
