// The evidence bundle (docs/evidence.md, issue 21 item 4) against real nodes: a dispatcher's or
// the neighborhood's attorney's export verifies offline with the network's public key; one
// changed byte in any file, a changed manifest, a dropped or an added file fails the check,
// naming the file; nobody else may export; the export is audited.
#include "media_upload.hpp"

#include "evidence/bundle_check.hpp"
#include "evidence/bundle_zip.hpp"
#include "temp_dir.hpp"

#include <zip.h>

#include <fstream>
#include <map>

namespace puente::test {
namespace {

namespace http = boost::beast::http;

// Every entry of a ZIP, by name, in order.
std::vector<std::pair<std::string, std::string>> zip_entries(const std::filesystem::path& path) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY, &error);
  EXPECT_NE(archive, nullptr);
  std::vector<std::pair<std::string, std::string>> entries;
  if (!archive) return entries;
  for (zip_int64_t i = 0; i < zip_get_num_entries(archive, 0); ++i) {
    zip_stat_t stat;
    zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &stat);
    std::string bytes(stat.size, '\0');
    zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
    zip_fread(file, bytes.data(), bytes.size());
    zip_fclose(file);
    entries.emplace_back(stat.name, std::move(bytes));
  }
  zip_discard(archive);
  return entries;
}

void write_zip(const std::filesystem::path& path,
               const std::vector<std::pair<std::string, std::string>>& entries) {
  std::vector<evidence::BundleEntry> files;
  for (const auto& [name, bytes] : entries) files.push_back({name, bytes, {}});
  evidence::write_bundle_zip(path, files);
}

class EvidenceBundle : public ::testing::Test {
 protected:
  TestNetwork net;
  std::unique_ptr<PuentedNode> a = net.start_node("a");
  TempDir scratch;
  std::string incident = open_incident(*a, net.token("op"), boyle_heights);

  std::string public_key() {
    auto answer = a->call(http::verb::get, "/v1/evidence/key", net.token("att-bh"));
    EXPECT_EQ(answer.status, 200u) << answer.body;
    return answer.body;
  }

  std::filesystem::path exported(const std::string& who) {
    client::HttpClient http(a->address(), std::chrono::seconds(60));
    auto answer = http.request(http::verb::get, "/v1/incidents/" + incident + "/evidence-bundle",
                               {}, net.token(who));
    EXPECT_EQ(answer.status, 200u) << answer.body.substr(0, 300);
    EXPECT_EQ(answer.content_type, "application/zip");
    auto path = scratch.path() / (who + ".zip");
    std::ofstream(path, std::ios::binary) << answer.body;
    return path;
  }
};

TEST_F(EvidenceBundle, AnExportVerifiesAndAnyChangeIsNamed) {
  auto video = media_bytes(mp4_head, 300'000);
  auto media = upload_media(*a, net.token("obs-bh"), incident, "VIDEO", "video/mp4", video);
  ASSERT_FALSE(media.id().empty());
  auto path = exported("disp");
  auto key = public_key();
  auto check = evidence::check_bundle(path, key);
  EXPECT_TRUE(check.ok()) << (check.problems.empty() ? "" : check.problems.front());

  auto entries = zip_entries(path);
  std::map<std::string, std::string> by_name(entries.begin(), entries.end());
  for (const char* name :
       {"HOW-TO-VERIFY.txt", "summary.txt", "timeline.json", "incident.json", "reports.json",
        "alerts.json", "acks.json", "deliveries.json", "media.json", "audit.json", "network.pub",
        "MANIFEST.txt", "MANIFEST.sig"})
    EXPECT_TRUE(by_name.contains(name)) << name;
  const auto original = "media/" + media.id() + ".mp4";
  ASSERT_TRUE(by_name.contains(original));
  EXPECT_EQ(by_name[original], video);  // the original as received
  EXPECT_NE(by_name["audit.json"].find("media.received"), std::string::npos);
  EXPECT_NE(by_name["audit.json"].find("chainHead"), std::string::npos);
  EXPECT_NE(by_name["MANIFEST.txt"].find(core::sha256_hex(video) + "  " + original),
            std::string::npos);

  // One changed byte in any file: the check names that file, and only it.
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& name = entries[i].first;
    if (name == "MANIFEST.txt" || name == "MANIFEST.sig") continue;
    auto changed = entries;
    changed[i].second[changed[i].second.size() / 2] ^= 0x01;
    auto file = scratch.path() / "changed.zip";
    write_zip(file, changed);
    auto result = evidence::check_bundle(file, key);
    EXPECT_EQ(result.problems, std::vector<std::string>{"changed: " + name}) << name;
  }
  // A changed manifest (a hash made to match a changed file) fails its signature.
  {
    auto changed = entries;
    for (auto& [name, bytes] : changed)
      if (name == "MANIFEST.txt") bytes[0] = bytes[0] == 'a' ? 'b' : 'a';
    auto file = scratch.path() / "manifest.zip";
    write_zip(file, changed);
    auto result = evidence::check_bundle(file, key);
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(result.problems.front().starts_with("changed: MANIFEST.txt"))
        << result.problems.front();
  }
  // A dropped file, and a planted one.
  {
    auto changed = entries;
    std::erase_if(changed, [&](const auto& e) { return e.first == original; });
    changed.emplace_back("media/planted.jpg", jpeg_with_gps());
    auto file = scratch.path() / "dropped.zip";
    write_zip(file, changed);
    EXPECT_EQ(evidence::check_bundle(file, key).problems,
              (std::vector<std::string>{"missing: " + original,
                                        "not in the manifest: media/planted.jpg"}));
  }
  // A byte flipped in the ZIP file itself (the stored video) is caught too.
  {
    std::ifstream in(path, std::ios::binary);
    std::string zip((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto at = zip.find(video.substr(100'000, 64));
    ASSERT_NE(at, std::string::npos);
    zip[at] ^= 0x40;
    auto file = scratch.path() / "flipped.zip";
    std::ofstream(file, std::ios::binary) << zip;
    EXPECT_EQ(evidence::check_bundle(file, key).problems,
              std::vector<std::string>{"changed: " + original});
  }
  // Another key does not verify it.
  auto check_other = evidence::check_bundle(
      path,
      "-----BEGIN PUBLIC "
      "KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC "
      "KEY-----\n");
  EXPECT_FALSE(check_other.ok());
}

TEST_F(EvidenceBundle, OnlyDispatchersAndTheNeighborhoodsAttorneysExportAndItIsAudited) {
  auto check = evidence::check_bundle(exported("att-bh"), public_key());
  EXPECT_TRUE(check.ok());
  for (const char* who : {"obs-bh", "vol-bh", "obs-dt", "op"})
    EXPECT_EQ(
        a->call(http::verb::get, "/v1/incidents/" + incident + "/evidence-bundle", net.token(who))
            .status,
        404u)
        << who;
  auto log = a->audit_log(net.token("admin"));
  EXPECT_TRUE(std::any_of(log.entries().begin(), log.entries().end(), [&](const auto& e) {
    return e.action() == "evidence.export" && e.actor() == "att-bh" && e.subject() == incident;
  }));
}

}  // namespace
}  // namespace puente::test
