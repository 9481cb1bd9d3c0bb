#pragma once
// The evidence bundle's manifest (docs/evidence.md): one line per file of the ZIP, its SHA-256,
// its size in bytes and its name, in plain text a person can read and `sha256sum -c` can check
// (the first two columns are sha256sum's own format). The network's Ed25519 key signs these
// exact bytes (MANIFEST.sig); checking a bundle is then: the signature over the manifest, and
// every file against its line. This file holds the text and the comparison, as plain data;
// the ZIP and the signature are server/evidence/.
//
//   # Puente evidence manifest 1
//   # incident inc-0123456789abcdef, exported 2026-12-06T10:00:00Z by disp
//   <64 hex>  timeline.json
//   ...
// Lines starting with '#' are comments (covered by the signature all the same).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace puente::core {

struct ManifestEntry {
  std::string sha256;  // lowercase hex
  std::string name;    // the path inside the ZIP
};

inline constexpr std::string_view manifest_name = "MANIFEST.txt";
inline constexpr std::string_view manifest_signature_name = "MANIFEST.sig";

// The manifest's text: the header comments (each line of `about` becomes "# " + line), then
// one "<sha256>  <name>" line per entry, in the order given.
std::string manifest_text(std::string_view about, const std::vector<ManifestEntry>& entries);

// The entries of a manifest's text; nullopt if a line is neither a comment nor "<64 lowercase
// hex>  <name>", or a name is given twice.
std::optional<std::vector<ManifestEntry>> parse_manifest(std::string_view text);

// What differs between the manifest and the files found in the bundle (name and SHA-256 of
// each, the manifest and its signature left out), one line a file, naming it: "changed: NAME",
// "missing: NAME", "not in the manifest: NAME". Empty: they agree.
std::vector<std::string> manifest_differences(const std::vector<ManifestEntry>& manifest,
                                              const std::vector<ManifestEntry>& found);

}  // namespace puente::core
