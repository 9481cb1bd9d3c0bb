// What a Redis Cluster's replies mean to a link (redis/cluster_reply.hpp): the redirects a
// command may get, and the owner of a slot in a CLUSTER SLOTS reply. Pure functions on replies
// written the way Redis 7.0 sends them (the cluster tests see the real ones).

#include "redis/cluster_reply.hpp"

#include <gtest/gtest.h>

namespace puente::redis {
namespace {

const Endpoint asked{"10.0.0.9", 7000};

Reply integer(long long value) { return Reply{Reply::Type::integer, {}, value, {}}; }
Reply text(std::string value) { return Reply{Reply::Type::string, std::move(value), 0, {}}; }
Reply array(std::vector<Reply> elements) {
  return Reply{Reply::Type::array, {}, 0, std::move(elements)};
}
Reply node(std::string ip, long long port) {
  return array({text(std::move(ip)), integer(port), text("0123abcd"), array({})});
}

// Three shards as redis-cli --cluster create splits them, each with a replica.
Reply three_shards() {
  return array({
      array({integer(0), integer(5460), node("127.0.0.1", 7001), node("127.0.0.1", 7004)}),
      array({integer(5461), integer(10922), node("127.0.0.1", 7002), node("127.0.0.1", 7005)}),
      array({integer(10923), integer(16383), node("127.0.0.1", 7003), node("127.0.0.1", 7006)}),
  });
}

TEST(ClusterRedirect, MovedAndAskNameTheSlotAndWhereItIsNow) {
  struct Case {
    const char* error;
    ClusterVerdict verdict;
    std::uint16_t slot;
    const char* host;
    unsigned short port;
  };
  for (const Case& c :
       {Case{"MOVED 3999 127.0.0.1:6381", ClusterVerdict::moved, 3999, "127.0.0.1", 6381},
        Case{"ASK 16383 10.1.2.3:7005", ClusterVerdict::ask, 16383, "10.1.2.3", 7005}}) {
    const auto r = read_cluster_error(c.error, asked);
    EXPECT_EQ(r.verdict, c.verdict) << c.error;
    EXPECT_EQ(r.slot, c.slot) << c.error;
    EXPECT_EQ(r.to.host, c.host) << c.error;
    EXPECT_EQ(r.to.port, c.port) << c.error;
  }
}

TEST(ClusterRedirect, AnEmptyHostIsTheNodeThatAnswered) {
  const auto r = read_cluster_error("MOVED 12 :7002", asked);
  EXPECT_EQ(r.verdict, ClusterVerdict::moved);
  EXPECT_EQ(r.to.host, asked.host);
  EXPECT_EQ(r.to.port, 7002);
}

TEST(ClusterRedirect, AnIpv6AddressKeepsItsColons) {
  const auto r = read_cluster_error("MOVED 12 ::1:7002", asked);
  EXPECT_EQ(r.to.host, "::1");
  EXPECT_EQ(r.to.port, 7002);
}

TEST(ClusterRedirect, MigrationAndFailoverErrorsAreRetriedNotAnswered) {
  EXPECT_EQ(
      read_cluster_error("TRYAGAIN Multiple keys request during rehashing of slot", asked).verdict,
      ClusterVerdict::try_again);
  EXPECT_EQ(read_cluster_error("CLUSTERDOWN The cluster is down", asked).verdict,
            ClusterVerdict::cluster_down);
}

TEST(ClusterRedirect, OtherErrorsAndBrokenRedirectsAreTheCallersAnswer) {
  for (const char* error :
       {"ERR unknown command", "READONLY You can't write against a read only replica.", "MOVED",
        "MOVED 3999", "MOVED 16384 127.0.0.1:7000", "MOVED -1 127.0.0.1:7000", "MOVED 12 127.0.0.1",
        "MOVED 12 127.0.0.1:0", "MOVED 12 127.0.0.1:65536", "MOVED x 127.0.0.1:7000",
        "MOVEDX 12 127.0.0.1:7000", "TRYAGAINX", ""}) {
    EXPECT_EQ(read_cluster_error(error, asked).verdict, ClusterVerdict::answer) << error;
  }
}

TEST(ClusterStep, TheSlotsOwnerSendsAskToTheNodeItNamesAndMovedToANewLink) {
  EXPECT_EQ(next_step(ClusterVerdict::ask, false), ClusterStep::ask_there);
  EXPECT_EQ(next_step(ClusterVerdict::moved, false), ClusterStep::follow_moved);
  EXPECT_EQ(next_step(ClusterVerdict::try_again, false), ClusterStep::retry);
  EXPECT_EQ(next_step(ClusterVerdict::cluster_down, false), ClusterStep::reread_slots);
  EXPECT_EQ(next_step(ClusterVerdict::answer, false), ClusterStep::answer);
}

TEST(ClusterStep, WhatTheAskedNodeRefusesGoesBackToTheSlotsOwner) {
  // ASK holds for one command: never a second ASK in a row, nor a re-link on the asked
  // node's word; its -TRYAGAIN (keys split by the migration) waits a little too.
  for (const auto verdict : {ClusterVerdict::ask, ClusterVerdict::moved, ClusterVerdict::try_again,
                             ClusterVerdict::cluster_down})
    EXPECT_EQ(next_step(verdict, true), ClusterStep::retry) << static_cast<int>(verdict);
  EXPECT_EQ(next_step(ClusterVerdict::answer, true), ClusterStep::answer);
}

TEST(ClusterSlots, TheOwnerIsThePrimaryOfTheRangeHoldingTheSlot) {
  const Reply slots = three_shards();
  EXPECT_EQ(owner_of_slot(slots, 0, asked)->port, 7001);
  EXPECT_EQ(owner_of_slot(slots, 5460, asked)->port, 7001);
  EXPECT_EQ(owner_of_slot(slots, 5461, asked)->port, 7002);
  EXPECT_EQ(owner_of_slot(slots, 16383, asked)->port, 7003);
  EXPECT_EQ(owner_of_slot(slots, 16383, asked)->host, "127.0.0.1");
}

TEST(ClusterSlots, ASlotNoRangeHoldsHasNoOwner) {
  const Reply partial = array({array({integer(0), integer(99), node("127.0.0.1", 7001)}),
                               array({integer(200), integer(300), node("127.0.0.1", 7002)})});
  EXPECT_FALSE(owner_of_slot(partial, 150, asked));
  EXPECT_EQ(owner_of_slot(partial, 250, asked)->port, 7002);
  EXPECT_FALSE(owner_of_slot(array({}), 0, asked));
}

TEST(ClusterSlots, ANodeWithoutAnAddressIsTheNodeAsked) {
  const Reply slots = array({array({integer(0), integer(16383), node("", 7001)})});
  EXPECT_EQ(owner_of_slot(slots, 42, asked)->host, asked.host);
  const Reply unknown = array({array({integer(0), integer(16383), node("?", 7001)})});
  EXPECT_EQ(owner_of_slot(unknown, 42, asked)->host, asked.host);
}

TEST(ClusterSlots, AReplyThatIsNotASlotMapNamesNoOne) {
  EXPECT_FALSE(owner_of_slot(Reply{Reply::Type::error,
                                   "ERR This instance has cluster support "
                                   "disabled",
                                   0,
                                   {}},
                             1, asked));
  EXPECT_FALSE(
      owner_of_slot(array({array({integer(0), integer(16383), text("127.0.0.1")})}), 1, asked));
  EXPECT_FALSE(owner_of_slot(
      array({array({integer(0), integer(16383), array({text("127.0.0.1"), integer(70000)})})}), 1,
      asked));
  EXPECT_TRUE(nodes_of(text("hello"), asked).empty());
}

TEST(ClusterSlots, EveryNodeIsLearnedOnce) {
  Reply slots = three_shards();
  // A primary serving two ranges (after a reshard) appears twice in the reply.
  slots.elements.push_back(
      array({integer(16000), integer(16001), node("127.0.0.1", 7001), node("127.0.0.1", 7004)}));
  const auto nodes = nodes_of(slots, asked);
  ASSERT_EQ(nodes.size(), 6u);
  EXPECT_EQ(nodes[0].port, 7001);
  EXPECT_EQ(nodes[1].port, 7004);
  EXPECT_EQ(nodes[5].port, 7006);
}

}  // namespace
}  // namespace puente::redis
