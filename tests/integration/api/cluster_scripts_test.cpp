// Scripts the spine and escalation tests do not run, run on a Redis Cluster (issue 23: every
// Lua script of server/store/lua/ must run on a cluster at least once): a corroborating report,
// a report held past the neighborhood's cap and approved, evidence marked, a photo uploaded and
// listed, a token issued. Each must have run on the primary serving the network's slot
// (cluster_scripts.hpp: SCRIPT EXISTS there) and answered as on one Redis.
#include "cluster_scripts.hpp"
#include "cluster_config.hpp"
#include "media_upload.hpp"
#include "test_network.hpp"

#include "puente/v1/json.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace puente::test {
namespace {

namespace http = boost::beast::http;

TEST(ClusterScripts, CorroborationHeldReportsEvidenceMediaAndTokensRunOnTheSlotsPrimary) {
  RedisCluster cluster;
  TestNetwork net("[policy]\nunverified_cap = 2\nunverified_window_seconds = 3600\n", "",
                  cluster_redis_lines(cluster));
  auto a = net.start_node("a");
  auto report = [&](int spot) {
    const auto where = boyle_heights_spot(spot);
    auto response = a->call(http::verb::post, "/v1/reports", net.token("op"),
                            report_json(where.lat, where.lon));
    EXPECT_EQ(response.status, 201u) << response.body;
    v1::ReportReceipt receipt;
    EXPECT_EQ(wire::from_json(response.body, receipt), "");
    return receipt.incident();
  };

  const auto first = report(0);
  EXPECT_EQ(report(0).id(), first.id()) << "the same spot and kind corroborates";
  report(1);
  const auto held = report(2);  // past the cap of two new unverified incidents
  auto approved =
      a->call(http::verb::post, "/v1/incidents/" + held.id() + "/approve", net.token("disp"));
  EXPECT_EQ(approved.status, 200u) << approved.body;

  auto marked =
      a->call(http::verb::post, "/v1/incidents/" + first.id() + "/evidence", net.token("disp"));
  EXPECT_EQ(marked.status, 200u) << marked.body;

  const auto photo =
      upload_media(*a, net.token("obs-bh"), first.id(), "PHOTO", "image/jpeg", jpeg_with_gps());
  EXPECT_FALSE(photo.id().empty());
  auto listed =
      a->call(http::verb::get, "/v1/incidents/" + first.id() + "/media", net.token("disp"));
  EXPECT_EQ(listed.status, 200u) << listed.body;
  EXPECT_NE(listed.body.find(photo.id()), std::string::npos) << listed.body;

  auto issued = a->call(http::verb::post, "/v1/admin/tokens", net.token("admin"),
                        R"({"responderId":"obs-bh","expiresInSeconds":0,"note":"phone"})");
  EXPECT_EQ(issued.status, 201u) << issued.body;

  const auto ran = scripts_run_on_cluster(cluster);
  for (const char* script : {"attach_report", "approve_incident", "mark_evidence", "open_upload",
                             "save_media", "list_media", "save_token"})
    EXPECT_NE(std::find(ran.begin(), ran.end(), script), ran.end()) << script << " did not run";
}

}  // namespace
}  // namespace puente::test
