#pragma once
// A photo's shareable copy: the same image without the metadata that can say where it was
// taken (docs/evidence.md). A phone writes the GPS position into a JPEG's EXIF (APP1 "Exif")
// and often its XMP (APP1, Adobe's namespace), and into a PNG's eXIf or XMP iTXt chunk; the
// copy drops those whole segments and chunks (the camera model and time go with them), and
// keeps every byte of the image itself. The original is kept as received: this makes a second
// file, never an edit.

#include <optional>
#include <string>
#include <string_view>

namespace puente::core {

// `bytes` without EXIF and XMP metadata, for "image/jpeg" and "image/png"; nullopt for any
// other type, or for bytes that are not a well-formed file of that type (nothing is shared
// then rather than a copy that might still hold a position).
std::optional<std::string> without_location_metadata(std::string_view bytes,
                                                     std::string_view content_type);

}  // namespace puente::core
