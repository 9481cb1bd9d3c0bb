// Presence across nodes: a responder whose socket said hello on any node shows as connected in
// the on-call answer of every node; they stop showing when their last socket closes, and
// within the expiry when the node holding it dies without a word.
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

TEST_F(Presence, ASocketThatNeverSaidHelloIsNobody) {
  auto silent = b->raw_socket();
  auto board = a->socket(net.token("disp"), {}, true);
  ASSERT_TRUE(wait_until([&] { return connected(*a, "disp"); }));
  EXPECT_EQ(vouchers(), 1);
}

}  // namespace
}  // namespace puente::test
