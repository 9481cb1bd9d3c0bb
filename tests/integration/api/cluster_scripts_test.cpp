// Scripts the spine and escalation tests do not run, run on a Redis Cluster (issue 23: every
// Lua script of server/store/lua/ must run on a cluster at least once): a corroborating report,
// a report held past the neighborhood's cap and approved, evidence marked, a photo uploaded and
// listed, a token issued; a phone subscribed to Web Push and removed; an incident purged by the
// retention. Each must have run on the primary serving the network's slot
// (cluster_scripts.hpp: SCRIPT EXISTS there) and answered as on one Redis.
#include "cluster_scripts.hpp"
#include "cluster_config.hpp"
#include "media_upload.hpp"
#include "test_network.hpp"

#include "channels/push/p256_key.hpp"
#include "channels/push/vapid.hpp"
#include "core/base64url.hpp"
#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

// Which of `scripts` have not run on the cluster's primary of the network's slot.
void expect_ran(const RedisCluster& cluster, std::initializer_list<const char*> scripts) {
  const auto ran = scripts_run_on_cluster(cluster);
  for (const char* script : scripts)
    EXPECT_NE(std::find(ran.begin(), ran.end(), script), ran.end()) << script << " did not run";
}

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

  expect_ran(cluster, {"attach_report", "connected_among", "approve_incident", "mark_evidence",
                       "open_upload", "save_media", "list_media", "save_token"});
}

TEST(ClusterScripts, PushSubscriptionsAndTheRetentionPurgeRunOnTheSlotsPrimary) {
  RedisCluster cluster;
  TestNetwork net(
      "[push]\nvapid_key_file = \"vapid.pem\"\nsubject = \"mailto:ops@puente.test\"\n"
      "[privacy]\ncaller_key_file = \"caller.key\"\nretention_seconds = 3\n"
      "purge_interval_seconds = 1\naof_rewrite_interval_seconds = 1\n",
      "", cluster_redis_lines(cluster));
  push::VapidKey::generate().write_pem_file(net.dir() / "vapid.pem");
  std::ofstream(net.dir() / "caller.key") << std::string(32, 'k');
  auto a = net.start_node("a");

  const std::string phone = R"({"endpoint":"https://fcm.googleapis.com/fcm/send/cluster-phone",)"
                            R"("keys":{"p256dh":")" +
                            core::base64url_encode(push::P256Key::generate().public_point()) +
                            R"(","auth":")" + core::base64url_encode(std::string(16, '\x05')) +
                            R"("},"device":"test phone"})";
  auto subscribed =
      a->call(http::verb::post, "/v1/me/push-subscriptions", net.token("obs-bh"), phone);
  ASSERT_EQ(subscribed.status, 201u) << subscribed.body;
  v1::PushSubscription stored;
  ASSERT_EQ(wire::from_json(subscribed.body, stored), "");
  auto removed =
      a->call(http::verb::delete_, "/v1/me/push-subscriptions/" + stored.id(), net.token("obs-bh"));
  EXPECT_TRUE(removed.ok()) << removed.status << " " << removed.body;

  const auto where = boyle_heights_spot(3);
  auto reported =
      a->call(http::verb::post, "/v1/reports", net.token("op"),
              report_json(where.lat, where.lon, "RAID", R"("callerPhone":"+12135550123")"));
  ASSERT_EQ(reported.status, 201u) << reported.body;
  v1::ReportReceipt receipt;
  ASSERT_EQ(wire::from_json(reported.body, receipt), "");
  const auto id = receipt.incident().id();
  ASSERT_EQ(a->call(http::verb::post, "/v1/incidents/" + id + "/resolve", net.token("disp")).status,
            200u);
  EXPECT_TRUE(wait_until(
      [&] {
        return a->call(http::verb::get, "/v1/incidents/" + id, net.token("disp")).status == 404;
      },
      60s))
      << "the resolved incident was not purged";

  expect_ran(cluster, {"save_push_subscription", "remove_push_subscription", "purge_incident",
                       "prune_presence"});
}

}  // namespace
}  // namespace puente::test
