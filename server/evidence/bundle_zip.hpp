#pragma once
// An evidence bundle as a ZIP file (libzip): written from named files and byte strings, and read
// back entry by entry with each entry's SHA-256, for the manifest (core/evidence_manifest.hpp)
// and its check (bundle_check.hpp). Media go in stored (they are compressed already), the rest
// deflated. Plain ZIP: any unzip opens it.

#include "core/evidence_manifest.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace puente::evidence {

struct BundleEntry {
  std::string name;            // the path inside the ZIP
  std::string bytes;           // its content, unless `from` is set
  std::filesystem::path from;  // else the file it is copied from (media originals)
};

// Writes `entries` to `out` (replacing it). Throws std::runtime_error naming what failed.
void write_bundle_zip(const std::filesystem::path& out, const std::vector<BundleEntry>& entries);

// What a bundle holds: every entry's name and SHA-256, and the manifest and its signature as
// bytes (empty when absent).
struct BundleContents {
  std::vector<core::ManifestEntry> files;  // every entry but the manifest and its signature
  std::optional<std::string> manifest;
  std::optional<std::string> signature;
};
// Throws std::runtime_error when `zip` is no ZIP that can be read.
BundleContents read_bundle_zip(const std::filesystem::path& zip);

// Lowercase hex SHA-256 of a file's bytes, read in pieces; throws when it cannot be read.
std::string file_sha256(const std::filesystem::path& file);

}  // namespace puente::evidence
