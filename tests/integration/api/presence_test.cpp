// Presence across nodes: a responder whose socket said hello on any node shows as connected in
// the on-call answer of every node; they stop showing when their last socket closes, and
// within the expiry when the node holding it dies without a word (or comes back under its id).
// A refresh repeats the node's word that it is alive, and each responder's seldom (issue 22),
// or at once when Redis lost them.
#include "test_network.hpp"

#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

class Presence : public ::testing::Test {
 protected:
  // Expiry 2 s (refreshed every 0.67 s): a dead node's word lapses quickly.
  TestNetwork net{"[presence]\nexpiry_seconds = 2\n"};
  std::unique_ptr<PuentedNode> a = net.start_node("a");
  std::unique_ptr<PuentedNode> b = net.start_node("b");

  // Asked of `node` by the dispatcher.
  bool connected(PuentedNode& node, const std::string& responder_id) {
    auto response = node.call(http::verb::get, "/v1/roster/on-call", net.token("disp"));
    EXPECT_EQ(response.status, 200u) << response.body;
    v1::OnCall on_call;
    EXPECT_EQ(wire::from_json(response.body, on_call), "");
    return std::find(on_call.connected().begin(), on_call.connected().end(), responder_id) !=
           on_call.connected().end();
  }

  long long vouchers() const { return net.redis_integer("ZCARD puente:presence"); }
  // The score (ms) of the first member of `key` that starts with `start`; 0 if there is none.
  long long score_of(const std::string& key, const std::string& start) const {
    return net.redis_integer(
        R"lua(EVAL "for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do if m:sub(1, #ARGV[1]) == ARGV[1] then return tonumber(redis.call('ZSCORE', KEYS[1], m)) end end return 0" 1 )lua" +
        key + " " + start);
  }
};

TEST_F(Presence, ASocketOnOneNodeShowsOnEveryNodeUntilItCloses) {
  EXPECT_FALSE(connected(*a, "obs-bh"));
  auto observer = b->socket(net.token("obs-bh"), {"boyle-heights"});
  EXPECT_TRUE(wait_until([&] { return connected(*a, "obs-bh"); }));
  EXPECT_TRUE(connected(*b, "obs-bh"));
  EXPECT_FALSE(connected(*a, "vol-bh"));  // on call, no socket

  observer->close();
  EXPECT_TRUE(wait_until([&] { return !connected(*a, "obs-bh"); }));
  EXPECT_EQ(vouchers(), 0);
}

TEST_F(Presence, AResponderStaysConnectedWhileAnySocketOnAnyNodeIsOpen) {
  auto on_a = a->socket(net.token("obs-bh"), {"boyle-heights"});
  auto on_b = b->socket(net.token("obs-bh"), {"boyle-heights"});
  auto second_on_b = b->socket(net.token("obs-bh"), {"boyle-heights"});
  ASSERT_TRUE(wait_until([&] { return vouchers() == 2; }));  // one word per node

  on_a->close();
  ASSERT_TRUE(wait_until([&] { return vouchers() == 1; }));
  EXPECT_TRUE(connected(*a, "obs-bh"));
  on_b->close();
  // b still holds a socket of theirs: its refresh keeps vouching past the expiry.
  EXPECT_FALSE(wait_until([&] { return !connected(*a, "obs-bh"); }, 3s));
  second_on_b->close();
  EXPECT_TRUE(wait_until([&] { return !connected(*a, "obs-bh"); }));
}

TEST_F(Presence, ANodeThatDiesStopsCountingWithinTheExpiry) {
  auto observer = b->socket(net.token("obs-bh"), {"boyle-heights"});
  ASSERT_TRUE(wait_until([&] { return connected(*a, "obs-bh"); }));
  b->process().kill_now();
  EXPECT_TRUE(wait_until([&] { return !connected(*a, "obs-bh"); }));
}

TEST_F(Presence, ANodeRestartedUnderItsIdDoesNotCountTheSocketsItHadBefore) {
  auto observer = b->socket(net.token("obs-bh"), {"boyle-heights"});
  ASSERT_TRUE(wait_until([&] { return connected(*a, "obs-bh"); }));
  b->process().kill_now();
  b = net.start_node("b");
  // b is alive again, but the word it gave for obs-bh was its last run's: gone with the expiry
  // (2 s), not the word's own life (20 s).
  EXPECT_TRUE(wait_until([&] { return !connected(*a, "obs-bh"); }, 5s));
}

TEST_F(Presence, AQuietRefreshRepeatsTheNodesWordAndNotEachResponders) {
  // A refresh rewrote every responder the node held (10,000 at a busy node) every third of the
  // expiry; now only its own word, and theirs every tenth refresh (issue 22).
  auto observer = b->socket(net.token("obs-bh"), {"boyle-heights"});
  ASSERT_TRUE(wait_until([&] { return connected(*a, "obs-bh"); }));
  auto node_word = [&] { return score_of("puente:presence:nodes", "b"); };
  auto responder_word = [&] { return score_of("puente:presence", "obs-bh"); };
  auto node_last = node_word(), responder_last = responder_word();
  int node_moves = 0, responder_moves = 0;
  ASSERT_TRUE(wait_until(
      [&] {
        if (auto now = node_word(); now != node_last) ++node_moves, node_last = now;
        if (auto now = responder_word(); now != responder_last)
          ++responder_moves, responder_last = now;
        return node_moves >= 3;
      },
      10s));
  EXPECT_LE(responder_moves, 1) << "three refreshes of the node's word";
  EXPECT_TRUE(connected(*a, "obs-bh")) << "and the responder still counts";
}

TEST_F(Presence, AfterRedisLostItsDataEveryonesWordIsBackAtTheNextRefresh) {
  auto observer = b->socket(net.token("obs-bh"), {"boyle-heights"});
  ASSERT_TRUE(wait_until([&] { return connected(*a, "obs-bh"); }));
  ASSERT_EQ(net.redis_line("FLUSHALL"), "+OK");
  ASSERT_FALSE(connected(*a, "obs-bh"));
  // b finds its word that it is alive missing and repeats the responders' at once, not at the
  // tenth refresh (6.7 s after it started).
  EXPECT_TRUE(wait_until([&] { return connected(*a, "obs-bh"); }, 2s));
}

TEST_F(Presence, ASocketThatNeverSaidHelloIsNobody) {
  auto silent = b->raw_socket();
  auto board = a->socket(net.token("disp"), {}, true);
  ASSERT_TRUE(wait_until([&] { return connected(*a, "disp"); }));
  EXPECT_EQ(vouchers(), 1);
}

}  // namespace
}  // namespace puente::test
