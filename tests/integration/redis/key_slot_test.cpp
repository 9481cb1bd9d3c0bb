// The hash slot of a key, computed by the node (redis/key_slot.hpp), against what a real Redis
// in cluster mode says of the same key (CLUSTER KEYSLOT): hash tags, empty and nested braces,
// and bytes of every value.

#include "redis/key_slot.hpp"
#include "redis_fixture.hpp"

#include <random>

namespace puente::redis::testing {
namespace {

TEST(KeySlotRules, TheSpecificationsExamples) {
  // CRC16/XMODEM's check value, and the examples of the cluster specification.
  EXPECT_EQ(crc16_xmodem("123456789"), 0x31C3);
  EXPECT_EQ(key_slot("{user1000}.following"), key_slot("{user1000}.followers"));
  EXPECT_EQ(key_slot("foo{}{bar}"), crc16_xmodem("foo{}{bar}") % kClusterSlots);
  EXPECT_EQ(key_slot("foo{{bar}}zap"), crc16_xmodem("{bar") % kClusterSlots);
  EXPECT_EQ(key_slot("foo{bar}{zap}"), crc16_xmodem("bar") % kClusterSlots);
  EXPECT_EQ(key_slot("{net-la}incident:inc-1"), key_slot("{net-la}alerts:boyle-heights"));
}

class KeySlot : public RedisFixture {
 protected:
  // CLUSTER KEYSLOT needs a node in cluster mode; it answers without any slot assigned.
  puente::test::RedisServer cluster_node_{{"--cluster-enabled", "yes"}};
};

TEST_F(KeySlot, AgreesWithRedisClusterOnEveryKey) {
  auto connection = connect(options_for(cluster_node_));
  std::vector<std::string> keys = {"",    "a",      "{",      "}",
                                   "{}",  "}{a}",   "{a}{b}", "{{a}}",
                                   "a{b", "a}b{c}", "{}a{b}", "puente:{net-la}incident:inc-1"};
  std::mt19937 random(19);  // fixed: the same keys every run
  const std::string alphabet = std::string("{}{}ab:-", 8) + std::string("\0\xff\x7f", 3);
  for (int i = 0; i < 1500; ++i) {
    std::string key(random() % 24, ' ');
    for (auto& c : key) c = alphabet[random() % alphabet.size()];
    keys.push_back(std::move(key));
  }
  for (const auto& key : keys) {
    const auto answer = run(*connection, {"CLUSTER", "KEYSLOT", key});
    ASSERT_FALSE(answer.ec) << answer.ec.message();
    ASSERT_FALSE(answer.reply.is_error()) << answer.reply.str;
    EXPECT_EQ(answer.reply.integer, key_slot(key)) << "key \"" << key << "\"";
  }
}

}  // namespace
}  // namespace puente::redis::testing
