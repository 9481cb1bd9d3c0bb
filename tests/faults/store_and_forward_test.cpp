// Store-and-forward: with Redis stopped a node keeps accepting reports and acks (202 queued,
// in its journal); killed with -9 and restarted it still holds them; once Redis is back they
// all go out, in order, each once.
#include "test_network.hpp"

#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <set>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

TEST(StoreAndForward, QueuedReportsAndAcksSurviveAKilledNodeAndGoOutWhenRedisReturns) {
  TestNetwork net;
  auto a = net.start_node("a");
  auto b = net.start_node("b");
  auto observer = b->socket(net.token("obs-bh"), {"boyle-heights"});

  auto spot0 = boyle_heights_spot(0);  // every report at its own spot: none corroborates another
  auto first =
      a->call(http::verb::post, "/v1/reports", net.token("op"), report_json(spot0.lat, spot0.lon));
  ASSERT_EQ(first.status, 201u);
  auto verify = next_alert(*observer);
  ASSERT_TRUE(verify);

  net.redis().stop();
  constexpr int queued_reports = 5;
  for (int i = 1; i <= queued_reports; ++i) {
    auto spot = boyle_heights_spot(i);
    auto queued =
        a->call(http::verb::post, "/v1/reports", net.token("op"), report_json(spot.lat, spot.lon));
    ASSERT_EQ(queued.status, 202u) << queued.body;
  }
  auto ack = R"({"alertId":")" + verify->id() + R"(","incidentId":")" + verify->incident_id() +
             R"(","state":"EN_ROUTE","idempotencyKey":"ack-1"})";
  ASSERT_EQ(a->call(http::verb::post, "/v1/acks", net.token("obs-bh"), ack).status, 202u);

  // kill -9 with everything still queued, then the same node again: the journal is on disk.
  a->process().kill_now();
  a.reset();
  a = net.start_node("a", /*wait_ready=*/false);
  auto ready = a->call(http::verb::get, "/readyz", "");
  EXPECT_EQ(ready.status, 503u);
  EXPECT_NE(ready.body.find(std::to_string(queued_reports + 1) + " reports and acks"),
            std::string::npos)
      << ready.body;

  net.redis().restart();
  std::set<std::string> alerted;
  int duplicated = 0;
  while (alerted.size() < queued_reports) {
    auto alert = next_alert(*observer);
    if (!alert) break;
    if (!alerted.insert(alert->incident_id()).second) ++duplicated;
  }
  ASSERT_TRUE(wait_until([&] {
    return a->call(http::verb::get, "/readyz", "").body.find("ready") != std::string::npos;
  }));

  v1::IncidentList open;
  ASSERT_EQ(
      wire::from_json(a->call(http::verb::get, "/v1/incidents", net.token("disp")).body, open), "");
  EXPECT_EQ(open.incidents_size(), queued_reports + 1);
  // The ack is the journal's last entry: it may still be on its way once Redis answers.
  v1::Incident first_incident;
  ASSERT_TRUE(wait_until([&] {
    first_incident.Clear();
    auto shown =
        a->call(http::verb::get, "/v1/incidents/" + verify->incident_id(), net.token("disp")).body;
    return wire::from_json(shown, first_incident).empty() && first_incident.acks_size() > 0;
  })) << "the queued ack never arrived";
  ASSERT_EQ(first_incident.acks_size(), 1);
  EXPECT_EQ(first_incident.acks(0).state(), v1::EN_ROUTE);
  EXPECT_EQ(alerted.size(), static_cast<std::size_t>(queued_reports));
  EXPECT_EQ(duplicated, 0);
  std::printf("store-and-forward: accepted %d, delivered %zu, missing %zu, duplicated %d\n",
              queued_reports + 1, alerted.size() + first_incident.acks_size(),
              queued_reports - alerted.size() + 1 - first_incident.acks_size(), duplicated);
}

TEST(StoreAndForward, ARetriedAckWithTheSameKeyIsRecordedOnce) {
  TestNetwork net;
  auto a = net.start_node("a");
  auto observer = a->socket(net.token("obs-bh"), {"boyle-heights"});
  ASSERT_EQ(a->call(http::verb::post, "/v1/reports", net.token("op"),
                    report_json(boyle_heights.lat, boyle_heights.lon))
                .status,
            201u);
  auto verify = next_alert(*observer);
  ASSERT_TRUE(verify);
  auto ack = R"({"alertId":")" + verify->id() + R"(","incidentId":")" + verify->incident_id() +
             R"(","state":"ON_SCENE","idempotencyKey":"tap-7"})";
  EXPECT_EQ(a->call(http::verb::post, "/v1/acks", net.token("obs-bh"), ack).status, 201u);
  EXPECT_EQ(a->call(http::verb::post, "/v1/acks", net.token("obs-bh"), ack).status, 201u);
  v1::Incident incident;
  ASSERT_EQ(wire::from_json(a->call(http::verb::get, "/v1/incidents/" + verify->incident_id(),
                                    net.token("disp"))
                                .body,
                            incident),
            "");
  EXPECT_EQ(incident.acks_size(), 1);
}

}  // namespace
}  // namespace puente::test
