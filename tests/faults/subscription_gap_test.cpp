// A node's Redis subscription drops: pub/sub loses what it sends meanwhile, the node's live feed
// replays it from history once subscribed again, and its sockets get every alert once. A CI run
// of RedisCrash once lost an alert here: a live alert read together with the resubscription's
// confirmation was passed on before the replay began, and the replay then started after it.
#include "failover_tally.hpp"

#include <signal.h>

#include <atomic>
#include <thread>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

// Report `i` at its own point of a grid of 11 m steps in Boyle Heights: with dedup_meters = 1
// each opens its own incident.
std::string grid_report(int i) {
  return report_json(boyle_heights.lat + 0.0001 * (i % 20), boyle_heights.lon + 0.0001 * (i / 20));
}

// How many nodes Redis counts on Boyle Heights' live channel.
long long nodes_subscribed(TestNetwork& net) {
  return net.redis_integer(
      "EVAL \"return redis.call('PUBSUB', 'SHARDNUMSUB', 'puente:live:boyle-heights')[2]\" 0");
}

TEST(SubscriptionGap, NoAlertIsMissedWhenTheNodesSubscriptionsDropMidStream) {
  TestNetwork net("[policy]\ndedup_meters = 1\n");
  auto a = net.start_node("a");
  auto b = net.start_node("b");
  auto observer = b->socket(net.token("obs-bh"), {"boyle-heights"});

  constexpr int most_reports = 600;
  std::atomic<bool> enough{false};
  Accepted accepted;
  std::set<std::string> incidents;
  std::thread reporter([&] {
    for (int i = 0; i < most_reports && !enough; ++i) {
      auto receipt =
          send_until_taken(*a, "/v1/reports", net.token("op"), grid_report(i), accepted.refusals);
      v1::ReportReceipt taken;
      if (receipt.status == 201 && wire::from_json(receipt.body, taken).empty()) {
        ++accepted.stored;
        incidents.insert(taken.incident().id());
        EXPECT_EQ(taken.incident().neighborhood(), "boyle-heights") << "report " << i;
      } else {
        ADD_FAILURE() << "report " << i << ": " << receipt.status << " " << receipt.body;
      }
    }
  });
  // Both nodes' subscriber links go down at once, while reports keep coming through node a;
  // each time once both are subscribed again and a few more reports went by.
  constexpr int kills = 12;
  int killed = 0;
  for (int k = 0; k < kills; ++k) {
    EXPECT_TRUE(wait_until([&] { return nodes_subscribed(net) == 2; })) << "kill " << k;
    std::this_thread::sleep_for(100ms);
    const auto answer = net.redis_line("CLIENT KILL TYPE pubsub");  // ":<links closed>"
    killed += answer.starts_with(':') && std::stoi(answer.substr(1)) >= 2;
  }
  std::this_thread::sleep_for(150ms);
  enough = true;
  reporter.join();
  EXPECT_EQ(killed, kills) << "each kill closes the subscriber links of both nodes";
  ASSERT_GT(accepted.stored, kills);

  expect_each_alert_once("subscription gaps", accepted, *observer, incidents, "b");
}

// Node b is stopped (SIGSTOP) while its subscriber link is closed and reports go through node
// a, so the alerts surely fall in b's gap: one in a neighborhood b's feed has met, one in a
// neighborhood it has not (no alert there since b started, but a socket follows it). The
// board's events have no history: a board socket on b is closed to read it whole again.
TEST(SubscriptionGap, WhatANodeMissedWhileItsSubscriptionWasDownReachesItsSockets) {
  TestNetwork net;
  auto a = net.start_node("a");
  auto b = net.start_node("b");
  auto observer_bh = b->socket(net.token("obs-bh"), {"boyle-heights"});
  auto observer_dt = b->socket(net.token("obs-dt"), {"downtown"});
  auto board = b->socket(net.token("disp"), {"boyle-heights"}, true);
  auto before = open_incident(*a, net.token("op"), boyle_heights_spot(0));
  auto first = next_alert(*observer_bh);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->incident_id(), before);

  ASSERT_TRUE(wait_until([&] { return nodes_subscribed(net) == 2; }));
  const pid_t b_pid = b->process().pid();
  ASSERT_EQ(::kill(b_pid, SIGSTOP), 0);
  const auto killed = net.redis_line("CLIENT KILL TYPE pubsub");
  auto in_boyle_heights = open_incident(*a, net.token("op"), boyle_heights_spot(6));
  auto in_downtown = open_incident(*a, net.token("op"), downtown);
  ASSERT_EQ(::kill(b_pid, SIGCONT), 0);
  EXPECT_TRUE(killed.starts_with(':') && std::stoi(killed.substr(1)) >= 2) << killed;

  auto missed_bh = next_alert(*observer_bh);
  ASSERT_TRUE(missed_bh) << "the alert of the neighborhood met before the gap never came";
  EXPECT_EQ(missed_bh->incident_id(), in_boyle_heights);
  auto missed_dt = next_alert(*observer_dt);
  ASSERT_TRUE(missed_dt) << "the alert of the neighborhood not met before the gap never came";
  EXPECT_EQ(missed_dt->incident_id(), in_downtown);
  EXPECT_FALSE(next_alert(*observer_bh, 500ms)) << "an alert came twice";
  EXPECT_FALSE(next_alert(*observer_dt, 500ms)) << "an alert came twice";

  const auto board_closed = close_reason(*board);
  EXPECT_NE(board_closed.find("code 1013"), std::string::npos) << board_closed;
  EXPECT_NE(board_closed.find("board events missed"), std::string::npos) << board_closed;
  observer_bh->send_text(R"({"ping":{}})");
  EXPECT_TRUE(read_until(*observer_bh, [](const v1::ServerMessage& m) { return m.has_pong(); }))
      << "an observer's socket stays open";
}

}  // namespace
}  // namespace puente::test
