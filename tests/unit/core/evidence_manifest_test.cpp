// The evidence bundle's manifest names every file that changed, went missing or was added.
#include "core/evidence_manifest.hpp"

#include <gtest/gtest.h>

namespace puente::core {
namespace {

const std::string a(64, 'a'), b(64, 'b'), c(64, 'c');

TEST(EvidenceManifest, ReadsBackWhatItWrites) {
  auto text =
      manifest_text("incident inc-1\nexported by disp", {{a, "timeline.json"}, {b, "media/x.jpg"}});
  EXPECT_EQ(text, "# incident inc-1\n# exported by disp\n" + a + "  timeline.json\n" + b +
                      "  media/x.jpg\n");
  auto entries = parse_manifest(text);
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[1].name, "media/x.jpg");
  EXPECT_EQ((*entries)[1].sha256, b);
}

TEST(EvidenceManifest, RefusesALineItCannotRead) {
  EXPECT_FALSE(parse_manifest(a.substr(1) + "  x\n"));
  EXPECT_FALSE(parse_manifest(std::string(64, 'A') + "  x\n"));
  EXPECT_FALSE(parse_manifest(a + " x\n"));
  EXPECT_FALSE(parse_manifest(a + "  x\n" + b + "  x\n"));  // one name twice
}

TEST(EvidenceManifest, NamesEachFileThatDiffers) {
  std::vector<ManifestEntry> manifest = {{a, "summary.txt"}, {b, "media/x.jpg"}, {c, "acks.json"}};
  EXPECT_TRUE(manifest_differences(manifest, manifest).empty());
  auto found = manifest;
  found[1].sha256 = c;                        // changed
  found.erase(found.begin() + 2);             // dropped
  found.push_back({a, "media/planted.jpg"});  // added
  auto differences = manifest_differences(manifest, found);
  EXPECT_EQ(differences, (std::vector<std::string>{"changed: media/x.jpg", "missing: acks.json",
                                                   "not in the manifest: media/planted.jpg"}));
}

}  // namespace
}  // namespace puente::core
