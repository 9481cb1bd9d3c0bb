// Media follow the retention (docs/evidence.md, issue 21 item 5): an incident purged takes its
// media with it, records and bytes; an incident kept as evidence keeps them, readable.
#include "media_upload.hpp"

#include "wait_until.hpp"

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

std::filesystem::path blob_of(TestNetwork& net, const std::string& sha256) {
  return net.dir() / "state" / "media" / "blobs" / sha256.substr(0, 2) / sha256;
}

TEST(MediaRetention, APurgedIncidentTakesItsMediaAndAnEvidenceOneKeepsThem) {
  TestNetwork net(
      "[privacy]\nretention_seconds = 3\npurge_interval_seconds = 1\n"
      "aof_rewrite_interval_seconds = 1\n");
  auto a = net.start_node("a");
  auto purged_incident = open_incident(*a, net.token("op"), boyle_heights_spot(0));
  auto kept_incident = open_incident(*a, net.token("op"), boyle_heights_spot(1));
  auto evidence =
      a->call(http::verb::post, "/v1/incidents/" + kept_incident + "/evidence", net.token("disp"));
  ASSERT_EQ(evidence.status, 200u) << evidence.body;

  // Different bytes each: a blob shared by both incidents would rightly stay.
  auto gone = upload_media(*a, net.token("obs-bh"), purged_incident, "VIDEO", "video/mp4",
                           media_bytes(mp4_head, 200'000, 1));
  auto photo = upload_media(*a, net.token("obs-bh"), purged_incident, "PHOTO", "image/jpeg",
                            jpeg_with_gps());
  auto kept = upload_media(*a, net.token("obs-bh"), kept_incident, "VIDEO", "video/mp4",
                           media_bytes(mp4_head, 200'000, 2));
  ASSERT_TRUE(std::filesystem::exists(blob_of(net, gone.sha256())));
  ASSERT_TRUE(std::filesystem::exists(blob_of(net, photo.sha256())));
  ASSERT_TRUE(std::filesystem::exists(blob_of(net, kept.sha256())));

  ASSERT_TRUE(wait_until(
      [&] {
        return a->call(http::verb::get, "/v1/incidents/" + purged_incident, net.token("disp"))
                   .status == 404;
      },
      60s));
  // The bytes go with the records: the original, and the photo's shared copy.
  EXPECT_TRUE(wait_until([&] { return !std::filesystem::exists(blob_of(net, gone.sha256())); }));
  EXPECT_FALSE(std::filesystem::exists(blob_of(net, photo.sha256())));
  EXPECT_EQ(net.values_holding(gone.id(), /*audit_too=*/false), 0);
  EXPECT_EQ(net.values_holding(gone.sha256(), /*audit_too=*/false), 0);
  EXPECT_EQ(a->call(http::verb::get, "/v1/media/" + gone.id(), net.token("disp")).status, 404u);

  // The evidence incident, idle as long, keeps its media.
  EXPECT_TRUE(std::filesystem::exists(blob_of(net, kept.sha256())));
  auto read = a->call(http::verb::get, "/v1/media/" + kept.id(), net.token("disp"));
  EXPECT_EQ(read.status, 200u);
  EXPECT_EQ(core::sha256_hex(read.body), kept.sha256());
}

}  // namespace
}  // namespace puente::test
