// The Redis Cluster the issue-23 tests stand on (tests/support/redis_cluster.hpp): six real
// redis-server processes joined by redis-cli, three primaries sharing the slots, and a replica
// that takes over when its primary is killed.

#include "redis_cluster.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <set>

namespace puente::test {
namespace {

TEST(RedisClusterFixture, ThreePrimariesShareTheSlotsAndAReplicaTakesOverAKilledOne) {
  RedisCluster cluster;
  const auto ports = cluster.ports();
  ASSERT_EQ(ports.size(), 6u);

  std::set<unsigned short> primaries;
  for (std::uint16_t slot : {0, 5000, 10000, 16383}) {
    const auto owner = cluster.primary_of_slot(slot, ports.back());
    ASSERT_TRUE(owner) << "no primary for slot " << slot;
    primaries.insert(*owner);
  }
  EXPECT_EQ(primaries.size(), 3u) << "slots 0, 5000, 10000 and 16383 span the three primaries";

  const unsigned short killed = *cluster.primary_of_slot(0, ports.back());
  cluster.node(killed).kill();
  const unsigned short witness = killed == ports.front() ? ports.back() : ports.front();
  std::optional<unsigned short> successor;
  EXPECT_TRUE(wait_until(
      [&] {
        successor = cluster.primary_of_slot(0, witness);
        return successor && *successor != killed;
      },
      RedisCluster::default_deadline))
      << "no replica took over slot 0 from " << killed;
  EXPECT_TRUE(cluster.wait_until_ok());
}

}  // namespace
}  // namespace puente::test
