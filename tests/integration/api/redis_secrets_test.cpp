// The harness's check at the end of every TestNetwork: Redis holds none of the network's bearer
// tokens (they are kept hashed). Here, that it bites, on the network's own Redis and on a Redis
// Cluster, where the network's data is on the primary of its slot, not in redis() (issue 23).
#include "cluster_config.hpp"
#include "redis/key_slot.hpp"
#include "redis_probe.hpp"
#include "test_network.hpp"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

namespace puente::test {
namespace {

TEST(RedisSecrets, ATokenInTheNetworksRedisFailsTheTest) {
  auto net = std::make_unique<TestNetwork>();
  ASSERT_EQ(net->redis_line("SET puente:planted " + net->token("op")), "+OK");
  EXPECT_NONFATAL_FAILURE(net.reset(), "Redis holds the bearer token of op");
}

TEST(RedisSecrets, ATokenPlantedInTheClusterFailsTheTest) {
  RedisCluster cluster;
  auto net = std::make_unique<TestNetwork>("", "", cluster_redis_lines(cluster));
  auto node = net->start_node("a");
  node.reset();  // the nodes are gone before the check, as in any test
  // In a hash of the network's, on the primary of its slot; the harness's own Redis stays empty.
  const std::string key = "puente:{la}:planted";
  const auto owner = cluster.primary_of_slot(redis::key_slot(key), cluster.ports()[0]);
  ASSERT_TRUE(owner);
  // (Qualified, with its deadline: redis_acl_test has an ask_redis of its own in a unity batch.)
  const auto planted = puente::test::ask_redis(
      *owner, {"HSET", key, "note", "see " + net->token("disp")}, std::chrono::seconds(2));
  ASSERT_TRUE(planted && planted->type == REDIS_REPLY_INTEGER);
  ASSERT_EQ(net->redis_integer("DBSIZE"), 0);
  EXPECT_EQ(net->values_holding(net->token("disp")), 1);
  EXPECT_NONFATAL_FAILURE(net.reset(), "Redis holds the bearer token of disp");
}

}  // namespace
}  // namespace puente::test
