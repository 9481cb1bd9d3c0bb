// The hash tags that spread networks over Redis Cluster's slots, and the checks of a list of
// networks (core/network_tags.hpp).
#include "core/network_tags.hpp"

#include "redis/key_slot.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace puente::core {
namespace {

TEST(NetworkSlotTarget, IsTheBitReversalSequence) {
  const std::vector<std::uint16_t> expected{0, 8192, 4096, 12288, 2048, 10240, 6144, 14336, 1024};
  for (std::size_t i = 0; i < expected.size(); ++i)
    EXPECT_EQ(network_slot_target(i), expected[i]) << "index " << i;
}

TEST(NetworkHashTag, TargetsStayPutWhenNetworksAreAppended) {
  // The i-th network's tag depends on its id and index only: a 17th network moves no one.
  std::vector<std::string> first, again;
  for (std::size_t i = 0; i < 8; ++i)
    first.push_back(network_hash_tag("net" + std::to_string(i), i, redis::key_slot));
  for (std::size_t i = 0; i < 17; ++i)
    again.push_back(network_hash_tag("net" + std::to_string(i), i, redis::key_slot));
  for (std::size_t i = 0; i < first.size(); ++i) EXPECT_EQ(first[i], again[i]);
}

TEST(NetworkHashTag, SlotIsWithinAFewOfTheTarget) {
  for (std::size_t i = 0; i < 32; ++i) {
    const auto tag = network_hash_tag("la-city", i, redis::key_slot);
    ASSERT_TRUE(tag.starts_with("la-city-")) << tag;
    const int slot = redis::key_slot(network_key_prefix(tag) + "incident:inc-1");
    EXPECT_LE(std::abs(slot - int(network_slot_target(i))), 3) << tag;
  }
}

// Three primaries split the slots in three contiguous ranges, as `redis-cli --cluster create`
// does; the networks of 2..16 land within one network of an even share on each (the sequence
// halves gaps, and thirds are not halves: 11 networks go 5/4/2, never worse).
TEST(NetworkHashTag, SpreadsEvenlyOverThreeShards) {
  auto shard_of = [](int slot) { return slot * 3 / int(kHashSlots); };
  for (std::size_t count = 2; count <= 16; ++count) {
    std::array<int, 3> per_shard{};
    for (std::size_t i = 0; i < count; ++i) {
      const auto tag = network_hash_tag("n" + std::to_string(i), i, redis::key_slot);
      ++per_shard[shard_of(redis::key_slot("puente:{" + tag + "}:x"))];
    }
    const auto [low, high] = std::minmax_element(per_shard.begin(), per_shard.end());
    EXPECT_LE(*high, int((count + 2) / 3) + 1)
        << count << " networks: " << per_shard[0] << "/" << per_shard[1] << "/" << per_shard[2];
    EXPECT_GE(*low, int(count / 3) - 1)
        << count << " networks: " << per_shard[0] << "/" << per_shard[1] << "/" << per_shard[2];
  }
}

TEST(NetworkHashTag, NaiveTagsClumpWhereTheseDoNot) {
  // The reason for the sequence: {0}..{15} over 16 equal shards leave shards empty.
  auto empty_shards = [](auto tag_of) {
    std::array<int, 16> per_shard{};
    for (std::size_t i = 0; i < 16; ++i)
      ++per_shard[redis::key_slot("{" + tag_of(i) + "}") * 16 / int(kHashSlots)];
    return std::count(per_shard.begin(), per_shard.end(), 0);
  };
  EXPECT_GT(empty_shards([](std::size_t i) { return std::to_string(i); }), 0);
  EXPECT_EQ(empty_shards([](std::size_t i) {
              return network_hash_tag("n" + std::to_string(i), i, redis::key_slot);
            }),
            0);
}

TEST(NetworkIds, SlugsOnly) {
  EXPECT_TRUE(valid_network_id("la-city"));
  EXPECT_TRUE(valid_network_id("la-county-2"));
  EXPECT_FALSE(valid_network_id(""));
  EXPECT_FALSE(valid_network_id("LA"));
  EXPECT_FALSE(valid_network_id("-x"));
  EXPECT_FALSE(valid_network_id("la city"));
  EXPECT_FALSE(valid_network_id("a{b}"));
}

TEST(NetworkList, OneNetworkNeedsNoTag) {
  EXPECT_EQ(network_list_problem({{"default", "puente:"}}), std::nullopt);
}

TEST(NetworkList, RefusesDuplicatesAndUntaggedPrefixes) {
  auto problem = network_list_problem({{"a", "puente:{a-1}:"}, {"a", "puente:{b-1}:"}});
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("listed twice"), std::string::npos) << *problem;

  problem = network_list_problem({{"a", "puente:{a-1}:"}, {"b", "puente:{a-1}:"}});
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("share redis.key_prefix"), std::string::npos) << *problem;

  problem = network_list_problem({{"a", "puente:{a-1}:"}, {"b", "puente:"}});
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("no hash tag"), std::string::npos) << *problem;

  problem = network_list_problem({{"a", "puente:{a-1}:"}, {"b", ""}});
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("no redis.key_prefix"), std::string::npos) << *problem;

  EXPECT_EQ(network_list_problem({{"a", "puente:{a-1}:"}, {"b", "puente:{b-7}:"}}), std::nullopt);
}

}  // namespace
}  // namespace puente::core
