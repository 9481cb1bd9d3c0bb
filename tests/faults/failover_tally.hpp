#pragma once
// What the Redis failover fault tests share (Sentinel, Cluster failover and reshard): sending
// reports and acks as a hotline client would through a failover, waiting for a node to be ready
// again, and counting what each observer's socket received against the incidents that exist,
// in the form "accepted N, delivered N, missing 0, duplicated 0".
#include "test_network.hpp"

#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <thread>

namespace puente::test {

// Waits until the node reaches Redis and its journal is empty: /readyz says the first only, and
// a report or ack taken into the journal (202) is in Redis only once the journal has replayed
// it (every 500 ms), which a tally read at once may come before.
inline bool ready(PuentedNode& node) {
  using namespace std::chrono_literals;
  return wait_until(
      [&] {
        return node.call(boost::beast::http::verb::get, "/readyz", "").status == 200 &&
               node.metric("puente_journal_waiting") == 0;
      },
      30s);
}

// Reads alerts until `socket` has shown every incident of `expected` or stays quiet for the
// socket wait, then a moment more for late duplicates. Counts alerts by incident.
inline std::map<std::string, int> alerts_by_incident(client::WsClient& socket,
                                                     const std::set<std::string>& expected) {
  using namespace std::chrono_literals;
  std::map<std::string, int> seen;
  auto covered = [&] {
    for (const auto& id : expected)
      if (!seen.contains(id)) return false;
    return true;
  };
  while (!covered()) {
    auto alert = next_alert(socket);
    if (!alert) break;
    ++seen[alert->incident_id()];
  }
  while (auto alert = next_alert(socket, 500ms)) ++seen[alert->incident_id()];
  return seen;
}

// How a stream of reports through a failover went, from the reporters' side.
struct Accepted {
  int stored = 0;    // answered 201 or 200
  int queued = 0;    // answered 202: in a node's journal, replayed later
  int refusals = 0;  // answered 503 and sent again
};

// Checks that `socket` received one alert per incident of `incidents`, none missing, none
// twice, none unknown, and prints the tally.
inline void expect_each_alert_once(const char* what, const Accepted& accepted,
                                   client::WsClient& socket, const std::set<std::string>& incidents,
                                   const std::string& observer) {
  auto seen = alerts_by_incident(socket, incidents);
  int delivered = 0, missing = 0, duplicated = 0, unknown = 0;
  for (const auto& id : incidents) {
    auto it = seen.find(id);
    if (it == seen.end())
      ++missing;
    else
      ++delivered, duplicated += it->second - 1;
  }
  for (const auto& [id, count] : seen) unknown += incidents.contains(id) ? 0 : count;
  std::printf(
      "%s: accepted %d (%d stored, %d queued, %d refusals retried), delivered %d, missing %d, "
      "duplicated %d, unknown %d (observer on node %s)\n",
      what, accepted.stored + accepted.queued, accepted.stored, accepted.queued, accepted.refusals,
      delivered, missing, duplicated, unknown, observer.c_str());
  EXPECT_EQ(missing, 0);
  EXPECT_EQ(duplicated, 0);
  EXPECT_EQ(unknown, 0);
}

// Sends `body` to `target` until a node takes it (a 503 while the new primary is found is sent
// again after 100 ms, as a hotline client would); the answer that took it.
inline client::HttpResponse send_until_taken(PuentedNode& node, const std::string& target,
                                             const std::string& token, const std::string& body,
                                             int& refusals) {
  using namespace std::chrono_literals;
  client::HttpResponse taken;
  const bool ok = wait_until(
      [&] {
        taken = node.call(boost::beast::http::verb::post, target, token, body);
        if (taken.status != 503) return true;
        ++refusals;
        std::this_thread::sleep_for(100ms);
        return false;
      },
      30s);
  EXPECT_TRUE(ok) << target << " never taken";
  return taken;
}

// Reports and acks sent through a failover, and what was taken.
struct ReportFlow {
  Accepted accepted;
  std::map<std::string, std::string> acked;  // incident -> its alert, acked by att-bh

  // Report `i` (its own spot and kind: each is its own incident) through `to`; if it is stored
  // (not queued), att-bh acks its alert through `ack_on`.
  void report_and_ack(TestNetwork& net, PuentedNode& to, PuentedNode& ack_on, int i) {
    static const char* kinds[] = {"RAID", "CHECKPOINT", "ARREST"};
    auto spot = boyle_heights_spot(i % 12);
    auto report =
        send_until_taken(to, "/v1/reports", net.token("op"),
                         report_json(spot.lat, spot.lon, kinds[(i / 12) % 3],
                                     R"("idempotencyKey":"flow-)" + std::to_string(i) + '"'),
                         accepted.refusals);
    if (report.status == 202) {
      ++accepted.queued;
      return;
    }
    ASSERT_TRUE(report.status == 201 || report.status == 200) << report.body;
    ++accepted.stored;
    v1::ReportReceipt receipt;
    ASSERT_EQ(wire::from_json(report.body, receipt), "");
    const auto& alert = receipt.incident().alerts(0);
    auto ack = send_until_taken(ack_on, "/v1/acks", net.token("att-bh"),
                                R"({"alertId":")" + alert.id() + R"(","incidentId":")" +
                                    receipt.incident().id() + R"(","state":"EN_ROUTE"})",
                                accepted.refusals);
    ASSERT_TRUE(ack.status == 201 || ack.status == 202) << ack.status << " " << ack.body;
    acked[receipt.incident().id()] = alert.id();
  }

  // Every acked incident shows att-bh's ack exactly once, as `node` reads it.
  void expect_acks_kept_once(const char* what, TestNetwork& net, PuentedNode& node) const {
    int kept = 0, lost = 0, doubled = 0;
    for (const auto& [id, alert] : acked) {
      v1::Incident shown;
      ASSERT_EQ(wire::from_json(node.call(boost::beast::http::verb::get, "/v1/incidents/" + id,
                                          net.token("disp"))
                                    .body,
                                shown),
                "");
      int count = 0;
      for (const auto& ack : shown.acks()) count += ack.responder_id() == "att-bh";
      kept += count == 1;
      lost += count == 0;
      doubled += count > 1;
    }
    std::printf("%s: acks accepted %zu, kept %d, lost %d, doubled %d\n", what, acked.size(), kept,
                lost, doubled);
    EXPECT_EQ(lost, 0);
    EXPECT_EQ(doubled, 0);
  }
};

// The open incidents `node` lists, once there are `expected` of them (queued reports are
// replayed when the nodes reach Redis again), or what there is after 30 s.
inline std::set<std::string> open_incidents(TestNetwork& net, PuentedNode& node, int expected) {
  using namespace std::chrono_literals;
  std::set<std::string> incidents;
  wait_until(
      [&] {
        v1::IncidentList open;
        if (!wire::from_json(
                 node.call(boost::beast::http::verb::get, "/v1/incidents", net.token("disp")).body,
                 open)
                 .empty())
          return false;
        incidents.clear();
        for (const auto& incident : open.incidents()) incidents.insert(incident.id());
        return static_cast<int>(incidents.size()) >= expected;
      },
      30s);
  return incidents;
}

}  // namespace puente::test
