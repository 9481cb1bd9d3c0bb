#pragma once
// What a media file is, read from its first bytes (never from its name or what the client
// says): an upload is taken only when the bytes agree with the kind and content type it was
// declared as (docs/evidence.md). A phone that names a file wrong is told so; a file that lies
// (a program called "photo.jpg") is refused before it is stored.
//
// The signatures are the formats' own magic numbers (JPEG SOI, PNG's 8-byte signature, RIFF
// WEBP/WAVE, ISO BMFF's "ftyp" box at byte 4, EBML for WebM, "OggS", ID3 or an MPEG audio frame
// sync). 16 bytes are enough for every one of them.

#include <string>
#include <string_view>
#include <vector>

namespace puente::core {

enum class MediaKind { photo, video, audio, note };

struct SniffedMedia {
  std::string content_type;        // the canonical type: "image/jpeg", "video/mp4", ...
  std::vector<MediaKind> kinds;    // what an upload of these bytes may be declared as
  std::vector<std::string> names;  // the content types a client may declare for them
};

// How many leading bytes sniff_media looks at.
inline constexpr std::size_t media_sniff_bytes = 16;

// What `head` (the file's first bytes, at least media_sniff_bytes if the file is that long)
// is; an empty content_type if none of the accepted formats. Text is not sniffed here: a NOTE
// is checked whole by is_note_text.
SniffedMedia sniff_media(std::string_view head);

// True if a file declared as `kind` with `declared_type` may hold bytes starting with `head`.
// A NOTE is text/plain; its bytes are checked whole at the end (is_note_text).
bool media_matches(MediaKind kind, std::string_view declared_type, std::string_view head);

// A note's bytes: valid UTF-8 with no NUL or other control character but tab and line breaks.
bool is_note_text(std::string_view bytes);

// The canonical content type of an accepted upload: the sniffed one, "text/plain; charset=utf-8"
// for a note.
std::string media_content_type(MediaKind kind, std::string_view head);

// A file-name extension for the type ("jpg", "mp4", "txt"): the evidence bundle's names.
std::string_view media_extension(std::string_view content_type);

}  // namespace puente::core
