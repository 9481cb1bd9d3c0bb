// Redis behind Sentinel (a primary, a replica, three sentinels, all on loopback) with two
// puented nodes that find the primary through the sentinels and wait for the replica after
// each write (`replicas_to_wait = 1`). The primary is killed with -9 in the middle of a stream
// of reports: the sentinels promote the replica, the nodes follow it, and every report a node
// acknowledged is an incident afterwards whose alert reached the observers on both nodes once.
//
// Persistence: both servers run AOF with `appendfsync everysec` (the harness default), but it
// plays no part here: the dead primary's disk is never read again. What saves the acknowledged
// writes is WAIT: a node answers 201 only once the replica holds the write, so the replica
// Sentinel promotes has them all. A write caught by the kill before the replica confirmed it is
// answered 202 and kept in the node's journal, then replayed (with its idempotency key) on the
// new primary.
#include "failover_tally.hpp"
#include "sentinel_cluster.hpp"
#include "test_network.hpp"

#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>
#include <thread>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

constexpr const char* wait_for_replica = "replicas_to_wait = 1\nreplica_wait_ms = 300\n";
// The same with a deadline a loaded machine's replica meets: the test of the stall counts each
// write the replica did not confirm in time, and at 300 ms a first write's WAIT once ran out
// under ASan beside the whole suite, with the replica well.
constexpr const char* wait_long_for_replica =
    "replicas_to_wait = 1\nreplica_wait_ms = 3000\ncommand_timeout_ms = 6000\n";

TEST(SentinelFailover, NodesFollowTheNewPrimaryAndNothingAcknowledgedIsLost) {
  SentinelCluster redis;
  TestNetwork net("", "", wait_for_replica);
  const std::vector<std::string> follow{"--sentinels", redis.sentinel_list()};
  auto a = net.start_node("a", true, follow);
  auto b = net.start_node("b", true, follow);
  auto on_a = a->socket(net.token("obs-bh"), {"boyle-heights"});
  auto on_b = b->socket(net.token("obs-bh"), {"boyle-heights"});

  // Distinct (spot, kind) pairs: no report corroborates another, each is its own incident.
  const char* kinds[] = {"RAID", "CHECKPOINT", "ARREST"};
  constexpr int reports = 30;
  Accepted accepted;
  for (int i = 0; i < reports; ++i) {
    if (i == reports / 3) redis.kill_primary();
    // The last third goes to the new primary, once the nodes have found it.
    if (i == 2 * reports / 3) {
      ASSERT_TRUE(redis.wait_for_primary(redis.replica_port()));
      ASSERT_TRUE(ready(*a) && ready(*b));
    }
    PuentedNode& node = i % 2 == 0 ? *a : *b;
    auto spot = boyle_heights_spot(i % 12);
    auto body = report_json(spot.lat, spot.lon, kinds[i / 12],
                            R"("idempotencyKey":"failover-)" + std::to_string(i) + '"');
    // Like a hotline client: a report refused while the new primary is chosen is sent again,
    // with the same key, until it is accepted.
    bool taken = wait_until(
        [&] {
          auto response = node.call(http::verb::post, "/v1/reports", net.token("op"), body);
          if (response.status == 201 || response.status == 200)
            ++accepted.stored;
          else if (response.status == 202)
            ++accepted.queued;
          else {
            EXPECT_EQ(response.status, 503) << response.body;
            ++accepted.refusals;
            std::this_thread::sleep_for(100ms);
            return false;
          }
          return true;
        },
        30s);
    ASSERT_TRUE(taken) << "report " << i << " was never accepted";
  }

  // Queued reports are replayed once the nodes reach the new primary.
  ASSERT_TRUE(ready(*a) && ready(*b));
  const auto incidents = open_incidents(net, *a, reports);
  EXPECT_EQ(static_cast<int>(incidents.size()), reports);

  expect_each_alert_once("sentinel failover", accepted, *on_a, incidents, "a");
  expect_each_alert_once("sentinel failover", accepted, *on_b, incidents, "b");
}

TEST(SentinelFailover, WritesWaitForTheReplicaAndGoOnWithoutItWhenItStalls) {
  SentinelCluster redis;
  TestNetwork net("", "", wait_long_for_replica);
  auto a = net.start_node("a", true, {"--sentinels", redis.sentinel_list()});
  auto post = [&](int i) {
    auto spot = boyle_heights_spot(i % 12);
    return a
        ->call(http::verb::post, "/v1/reports", net.token("op"), report_json(spot.lat, spot.lon))
        .status;
  };
  auto unreplicated = [&] {
    return a->metric("puente_redis_unreplicated_writes_total").value_or(-1);
  };

  // The replica confirms: nothing is answered on the primary's word alone.
  EXPECT_EQ(post(0), 201);
  EXPECT_EQ(unreplicated(), 0);

  // A stalled replica costs one WAIT timeout, then writes go on (counted) without it.
  redis.replica().pause();
  EXPECT_EQ(post(1), 201);
  EXPECT_EQ(post(2), 201);
  auto unconfirmed = unreplicated();
  EXPECT_EQ(unconfirmed, 2);

  // Back: once the barrier tries again, writes are confirmed again and the count stays put.
  redis.replica().resume();
  int i = 3;
  EXPECT_TRUE(wait_until(
      [&] {
        auto before = unreplicated();
        EXPECT_EQ(post(i++ % 12), 201);
        return unreplicated() == before;
      },
      20s));
}

}  // namespace
}  // namespace puente::test
