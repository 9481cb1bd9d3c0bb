// Two puented nodes on a Redis Cluster (three primaries, three replicas, all on loopback; issue
// 23), the network's keys under the hash tag {la}, waiting for a replica after each write
// (`replicas_to_wait = 1`). While reports and acks flow, the primary serving the network's slot
// is killed with -9 (the cluster promotes its replica after cluster-node-timeout, 1000 ms), or
// the slot is moved to another primary as `redis-cli --cluster reshard` moves it. The nodes find
// the slot's new primary through CLUSTER SLOTS and -MOVED and subscribe there again; every
// report a node accepted is an incident afterwards whose alert reached the observers on both
// nodes exactly once, and every ack a node acknowledged is on its incident exactly once.
//
// What saves the acknowledged writes through a failover is WAIT, as with Sentinel
// (sentinel_failover_test.cpp): a write is answered 201 once the replica holds it, and the
// replica is what the cluster promotes.
#include "cluster_config.hpp"
#include "failover_tally.hpp"
#include "redis/key_slot.hpp"
#include "redis_probe.hpp"
#include "test_network.hpp"

#include <gtest/gtest.h>

#include <future>

namespace puente::test {
namespace {

constexpr int reports = 30;

class ClusterFaults : public ::testing::Test {
 protected:
  RedisCluster cluster;
  TestNetwork net{"", "",
                  cluster_redis_lines(cluster) + "replicas_to_wait = 1\nreplica_wait_ms = 300\n"};
  const std::uint16_t slot = redis::key_slot("puente:{la}:");
  const unsigned short first_owner = owner(cluster.ports()[0]);
  std::unique_ptr<PuentedNode> a = net.start_node("a");
  std::unique_ptr<PuentedNode> b = net.start_node("b");
  std::unique_ptr<client::WsClient> on_a = a->socket(net.token("obs-bh"), {"boyle-heights"});
  std::unique_ptr<client::WsClient> on_b = b->socket(net.token("obs-bh"), {"boyle-heights"});
  ReportFlow flow;

  unsigned short owner(unsigned short asked) const {
    const auto port = cluster.primary_of_slot(slot, asked);
    return port ? *port : 0;
  }
  // A node that is not the slot's first primary (which the failover test kills), to ask.
  unsigned short witness() const {
    return first_owner == cluster.ports()[0] ? cluster.ports()[1] : cluster.ports()[0];
  }
  // Report i through a, its ack through b, or the other way round.
  void send(int i) { flow.report_and_ack(net, i % 2 == 0 ? *a : *b, i % 2 == 0 ? *b : *a, i); }

  void expect_nothing_lost_or_doubled(const char* what) {
    ASSERT_TRUE(ready(*a) && ready(*b));
    // The network lives on the cluster, on the slot's primary now, not on the harness's Redis.
    const auto keys = ask_redis(owner(witness()), {"DBSIZE"});
    ASSERT_TRUE(keys && keys->type == REDIS_REPLY_INTEGER && keys->integer > 0)
        << "the network's keys are not on the slot's primary";
    const auto incidents = open_incidents(net, *a, reports);
    EXPECT_EQ(static_cast<int>(incidents.size()), reports);
    flow.expect_acks_kept_once(what, net, *b);
    expect_each_alert_once(what, flow.accepted, *on_a, incidents, "a");
    expect_each_alert_once(what, flow.accepted, *on_b, incidents, "b");
  }
};

TEST_F(ClusterFaults, NodesFollowThePromotedReplicaAndNothingAcknowledgedIsLost) {
  for (int i = 0; i < reports; ++i) {
    if (i == reports / 3) cluster.node(first_owner).kill();
    if (i == 2 * reports / 3) {
      // The last third goes to the promoted replica, once the nodes have found it.
      ASSERT_TRUE(
          wait_until([&] { return owner(witness()) != first_owner && owner(witness()) != 0; },
                     RedisCluster::default_deadline))
          << "no replica took over the network's slot";
      ASSERT_TRUE(ready(*a) && ready(*b));
    }
    send(i);
    if (HasFatalFailure()) return;
  }
  expect_nothing_lost_or_doubled("cluster failover");
}

TEST_F(ClusterFaults, MovingTheNetworksSlotToAnotherPrimaryLosesNothing) {
  unsigned short target = 0;
  for (const auto port : cluster.primaries(first_owner))
    if (port != first_owner) target = port;
  ASSERT_NE(target, 0);
  std::future<void> moved;
  for (int i = 0; i < reports; ++i) {
    // The move runs beside the reports: its MIGRATEs interleave with the nodes' scripts.
    if (i == reports / 3)
      moved = std::async(std::launch::async, [&] { cluster.move_slot(slot, target, 10); });
    send(i);
    if (HasFatalFailure()) return;
  }
  ASSERT_NO_THROW(moved.get());
  EXPECT_EQ(owner(target), target);
  expect_nothing_lost_or_doubled("cluster reshard");
}

}  // namespace
}  // namespace puente::test
