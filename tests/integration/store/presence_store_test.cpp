// Who holds a live socket across nodes, asked of a real Redis: a responder counts while a node
// whose own word stands vouches for them past now, however many are asked about at once, the
// asking node's own words aside (it knows its sockets); a receipt's count says as many as the
// ids' answer names; and the words are read in one command, not a script (issue 22: a script's
// ZSCORE a word made a receipt across two nodes cost Redis more than the report's own script).
#include "store/presence_store.hpp"

#include "redis_link.hpp"

#include <gtest/gtest.h>

#include <future>

namespace puente::store {
namespace {

using Clock = std::chrono::system_clock;
using namespace std::chrono_literals;

class PresenceStoreTest : public test::StoreTest {
 protected:
  Keys keys{"test:"};
  PresenceStore store{link.connection(), keys};
  const Clock::time_point now = Clock::now();
  std::string asking = "here/0";  // the node asking

  // Commands on one connection run in order: a vouch sent before a read is in Redis for it.
  void alive(const std::string& node, Clock::time_point until) {
    std::promise<void> done;
    store.vouch_alive(node, until, [&](bool) { done.set_value(); });
    done.get_future().get();
  }
  std::set<std::string> connected(const std::vector<std::string>& ids) {
    std::promise<std::set<std::string>> got;
    store.connected_among(ids, now, asking, [&](Outcome outcome, std::set<std::string> connected) {
      EXPECT_EQ(outcome, Outcome::ok);
      got.set_value(std::move(connected));
    });
    return got.get_future().get();
  }
  std::size_t count(const std::vector<std::string>& ids) {
    std::promise<std::size_t> got;
    store.count_connected_among(ids, now, asking, [&](Outcome outcome, std::size_t connected) {
      EXPECT_EQ(outcome, Outcome::ok);
      got.set_value(connected);
    });
    return got.get_future().get();
  }
};

TEST_F(PresenceStoreTest, ThousandsAskedAboutAcrossNodesAreAnsweredAsEachWordSays) {
  alive("a/1", now + 60s);
  alive("b/2", now + 60s);
  alive("gone/3", now - 1s);  // a node that died: its word lapsed
  // Responder i by i % 6: vouched for by a; by b; by both; by the dead node only; by a, but
  // that word lapsed; by nobody.
  std::vector<std::string> asked;
  std::vector<std::vector<std::string>> by_kind(6);
  std::set<std::string> expected;
  for (int i = 0; i < 3000; ++i) {
    asked.push_back("obs-" + std::to_string(i));
    by_kind[i % 6].push_back(asked.back());
    if (i % 6 <= 2) expected.insert(asked.back());
  }
  store.vouch("a/1", by_kind[0], now + 600s);
  store.vouch("b/2", by_kind[1], now + 600s);
  store.vouch("a/1", by_kind[2], now + 600s);
  store.vouch("b/2", by_kind[2], now + 600s);
  store.vouch("gone/3", by_kind[3], now + 600s);
  store.vouch("a/1", by_kind[4], now - 1s);

  EXPECT_EQ(connected(asked), expected);
  EXPECT_EQ(count(asked), expected.size());

  EXPECT_EQ(connected({"obs-0", "obs-3", "obs-5", "someone"}), std::set<std::string>{"obs-0"});
  EXPECT_EQ(count({"obs-1", "obs-2", "obs-4"}), 2u);
}

TEST_F(PresenceStoreTest, AReceiptsRecipientsAreAskedAboutInOneCommandWithoutAScript) {
  alive("a/1", now + 60s);
  alive("b/2", now + 60s);
  std::vector<std::string> recipients;
  for (int i = 0; i < 100; ++i) recipients.push_back("obs-" + std::to_string(i));
  store.vouch("b/2", {recipients.begin(), recipients.begin() + 40}, now + 600s);

  EXPECT_EQ(count(recipients), 40u);
  EXPECT_EQ(link.calls("zmscore"), 1);
  EXPECT_EQ(link.calls("zscore"), 0);
  EXPECT_EQ(link.calls("evalsha") + link.calls("eval"), 0);
}

TEST_F(PresenceStoreTest, TheAskingNodesOwnWordsAreLeftToIt) {
  // The node asking counts its own sockets itself: a word of its own still in Redis is one
  // whose withdrawal is on its way (app/live/presence.cpp).
  alive(asking, now + 60s);
  alive("a/1", now + 60s);
  store.vouch(asking, {"obs-1", "obs-2"}, now + 600s);
  store.vouch("a/1", {"obs-2"}, now + 600s);
  EXPECT_EQ(connected({"obs-1", "obs-2"}), std::set<std::string>{"obs-2"});
  EXPECT_EQ(count({"obs-1", "obs-2"}), 1u);
}

TEST_F(PresenceStoreTest, TheWordsOfTheNodesSeenLastGoWithTheLiveListAndANewNodesFollow) {
  alive("a/1", now + 60s);
  store.vouch("a/1", {"obs-1"}, now + 600s);
  EXPECT_EQ(count({"obs-1", "obs-2"}), 1u);  // no node seen yet: the list, then a's words
  EXPECT_EQ(link.calls("zrange"), 1);
  EXPECT_EQ(link.calls("zmscore"), 1);

  // b came alive since: a's words go with the list, and b's are asked for at once.
  alive("b/2", now + 60s);
  store.vouch("b/2", {"obs-2"}, now + 600s);
  EXPECT_EQ(count({"obs-1", "obs-2"}), 2u);
  EXPECT_EQ(link.calls("zrange"), 2);
  EXPECT_EQ(link.calls("zmscore"), 3);

  // Both seen: one ZRANGE and one ZMSCORE, sent together.
  EXPECT_EQ(connected({"obs-1", "obs-2", "obs-3"}), (std::set<std::string>{"obs-1", "obs-2"}));
  EXPECT_EQ(link.calls("zrange"), 3);
  EXPECT_EQ(link.calls("zmscore"), 4);
}

TEST_F(PresenceStoreTest, ANodeSeenLastThatDiedSinceIsPassedOver) {
  alive("a/1", now + 60s);
  alive("b/2", now + 60s);
  store.vouch("b/2", {"obs-2"}, now + 600s);
  EXPECT_EQ(count({"obs-2"}), 1u);
  // b's word lapses (its node died): its words about obs-2 still stand, and do not count.
  link.command({"ZADD", keys.presence_nodes(),
                std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   (now - 1s).time_since_epoch())
                                   .count()),
                "b/2"});
  EXPECT_EQ(count({"obs-2"}), 0u);
  EXPECT_TRUE(connected({"obs-2"}).empty());
}

TEST_F(PresenceStoreTest, WithNoNodeAliveNobodyIsConnected) {
  alive("gone/3", now - 1s);
  store.vouch("gone/3", {"obs-1"}, now + 600s);
  EXPECT_TRUE(connected({"obs-1", "obs-2"}).empty());
  EXPECT_EQ(count({"obs-1", "obs-2"}), 0u);
  EXPECT_EQ(link.calls("zmscore"), 0);
}

}  // namespace
}  // namespace puente::store
