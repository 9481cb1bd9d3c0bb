#pragma once
// Checks an evidence bundle offline (`puente evidence verify raid.zip --key network.pub`): the
// manifest's Ed25519 signature under the network's public key, then every file against its
// manifest line. Each problem names the file; no problem: the bundle is as the network
// exported it.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace puente::evidence {

struct BundleCheck {
  std::vector<std::string> problems;  // "changed: media/...", "MANIFEST.txt: ...", ...
  std::size_t files_checked = 0;
  bool ok() const { return problems.empty(); }
};

// Throws std::runtime_error when `zip` cannot be read as a ZIP at all.
BundleCheck check_bundle(const std::filesystem::path& zip, std::string_view public_pem);

}  // namespace puente::evidence
