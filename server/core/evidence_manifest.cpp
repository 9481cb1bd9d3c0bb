#include "core/evidence_manifest.hpp"

#include <algorithm>
#include <map>

namespace puente::core {

namespace {

bool is_lower_hex_sha256(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

std::string manifest_text(std::string_view about, const std::vector<ManifestEntry>& entries) {
  std::string text;
  while (!about.empty()) {
    auto end = about.find('\n');
    text += "# ";
    text += about.substr(0, end);
    text += '\n';
    if (end == std::string_view::npos) break;
    about.remove_prefix(end + 1);
  }
  for (const auto& e : entries) text += e.sha256 + "  " + e.name + "\n";
  return text;
}

std::optional<std::vector<ManifestEntry>> parse_manifest(std::string_view text) {
  std::vector<ManifestEntry> entries;
  std::map<std::string, bool, std::less<>> seen;
  while (!text.empty()) {
    auto end = text.find('\n');
    auto line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty() || line.starts_with('#')) continue;
    if (line.size() < 67 || line.substr(64, 2) != "  " || !is_lower_hex_sha256(line.substr(0, 64)))
      return std::nullopt;
    ManifestEntry e{std::string(line.substr(0, 64)), std::string(line.substr(66))};
    if (seen.contains(e.name)) return std::nullopt;
    seen[e.name] = true;
    entries.push_back(std::move(e));
  }
  return entries;
}

std::vector<std::string> manifest_differences(const std::vector<ManifestEntry>& manifest,
                                              const std::vector<ManifestEntry>& found) {
  std::map<std::string, std::string, std::less<>> in_bundle;
  for (const auto& f : found) in_bundle[f.name] = f.sha256;
  std::vector<std::string> differences;
  for (const auto& m : manifest) {
    auto it = in_bundle.find(m.name);
    if (it == in_bundle.end()) {
      differences.push_back("missing: " + m.name);
      continue;
    }
    if (it->second != m.sha256) differences.push_back("changed: " + m.name);
    in_bundle.erase(it);
  }
  for (const auto& [name, sha] : in_bundle) differences.push_back("not in the manifest: " + name);
  return differences;
}

}  // namespace puente::core
