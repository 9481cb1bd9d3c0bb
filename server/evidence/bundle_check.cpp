#include "evidence/bundle_check.hpp"

#include "evidence/bundle_zip.hpp"
#include "evidence/network_key.hpp"

namespace puente::evidence {

BundleCheck check_bundle(const std::filesystem::path& zip, std::string_view public_pem) {
  auto contents = read_bundle_zip(zip);
  BundleCheck check;
  const std::string manifest(core::manifest_name);
  if (!contents.manifest) {
    check.problems.push_back("missing: " + manifest + " (nothing can be checked without it)");
    return check;
  }
  if (!contents.signature) {
    check.problems.push_back("missing: " + std::string(core::manifest_signature_name));
  } else if (!signature_holds(public_pem, *contents.manifest, *contents.signature)) {
    check.problems.push_back(
        "changed: " + manifest +
        " (its signature does not match: the manifest or its signature changed, or the key is "
        "not the network's that signed it)");
  }
  auto entries = core::parse_manifest(*contents.manifest);
  if (!entries) {
    check.problems.push_back("changed: " + manifest + " (a line is not \"<sha256>  <name>\")");
    return check;
  }
  for (auto& difference : core::manifest_differences(*entries, contents.files))
    check.problems.push_back(std::move(difference));
  check.files_checked = contents.files.size();
  return check;
}

}  // namespace puente::evidence
