// kill -9 one of two nodes while reports stream in and observers are attached to both: every
// accepted report's alert reaches every observer exactly once, the dead node's observer after
// it reconnects to the other node with the offset it last saw.
#include "test_network.hpp"

#include "connection_error.hpp"
#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <signal.h>

#include <cstdio>
#include <map>
#include <set>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

// Reads alerts until the socket is quiet or closed; counts them by incident, keeps the last offset.
void drain(client::WsClient& socket, std::map<std::string, int>& seen, std::string& last_offset) {
  try {
    while (auto alert = next_alert(socket, 1s)) {
      ++seen[alert->incident_id()];
      last_offset = alert->offset();
    }
  } catch (const client::ConnectionError&) {
    // The node died under it: what arrived before counts, the rest comes on reconnect.
  }
}

TEST(NodeCrash, EveryAcceptedReportReachesEveryObserverOnceAfterANodeIsKilled) {
  TestNetwork net;
  auto a = net.start_node("a");
  auto b = net.start_node("b");
  auto on_a = a->socket(net.token("obs-bh"), {"boyle-heights"});
  auto on_b = b->socket(net.token("obs-bh"), {"boyle-heights"});

  const char* kinds[] = {"RAID", "CHECKPOINT", "ARREST"};
  constexpr int reports = 24;
  std::set<std::string> accepted;
  for (int i = 0; i < reports; ++i) {
    if (i == reports / 2) a->process().kill_now();
    // Like a hotline client behind a balancer: the live node takes over when one dies.
    PuentedNode& node = (i % 2 == 0 && i < reports / 2) ? *a : *b;
    auto spot = boyle_heights_spot(i % 12);
    auto response = node.call(http::verb::post, "/v1/reports", net.token("op"),
                              report_json(spot.lat, spot.lon, kinds[(i / 12) % 3]));
    ASSERT_TRUE(response.status == 201 || response.status == 202) << response.body;
    v1::ReportReceipt receipt;
    ASSERT_EQ(wire::from_json(response.body, receipt), "");
    accepted.insert(receipt.incident().id());
  }

  std::map<std::string, int> seen_a, seen_b;
  std::string last_a, last_b;
  drain(*on_a, seen_a, last_a);
  ASSERT_FALSE(last_a.empty());
  // The dead node's observer comes back through the live one, from where it stopped.
  auto back = b->socket(net.token("obs-bh"), {"boyle-heights"}, false, {{"boyle-heights", last_a}});
  drain(*back, seen_a, last_a);
  drain(*on_b, seen_b, last_b);

  for (auto* seen : {&seen_a, &seen_b}) {
    int missing = 0, duplicated = 0;
    for (const auto& id : accepted) {
      auto it = seen->find(id);
      if (it == seen->end())
        ++missing;
      else if (it->second > 1)
        duplicated += it->second - 1;
    }
    std::printf("node crash: accepted %zu, delivered %zu, missing %d, duplicated %d (%s)\n",
                accepted.size(), seen->size(), missing, duplicated,
                seen == &seen_a ? "observer of the killed node" : "observer of the live node");
    EXPECT_EQ(missing, 0);
    EXPECT_EQ(duplicated, 0);
  }
}

// A node that dies under a test by no hand of the test's fails it, with its log's last lines:
// otherwise the test only sees a refused connection, and the reason is gone with its folder.
TEST(NodeCrash, ANodeThatDiesUnderATestFailsIt) {
  TestNetwork net;
  auto a = net.start_node("a");
  ASSERT_EQ(::kill(a->process().pid(), SIGKILL), 0);
  ASSERT_TRUE(wait_until([&] { return !a->process().running(); }));
  EXPECT_NONFATAL_FAILURE(a.reset(), "ended while the test ran (signal 9); its log ends:");
}

}  // namespace
}  // namespace puente::test
