// A node without Redis says so (readyz 503, writes 503 with nothing claimed), and comes back
// by itself when Redis does: commands reconnect, the live feed re-subscribes, alerts flow.
#include "test_network.hpp"

#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

namespace puente::test {
namespace {

namespace http = boost::beast::http;

TEST(RedisOutage, ANodeQueuesReportsWhileRedisIsDownAndSendsThemWhenItIsBack) {
  TestNetwork net;
  auto node = net.start_node("a");
  auto other = net.start_node("b");
  auto observer = other->socket(net.token("obs-bh"), {"boyle-heights"});

  net.redis().stop();
  EXPECT_TRUE(wait_until([&] { return node->call(http::verb::get, "/readyz", "").status == 503; }));
  auto queued = node->call(http::verb::post, "/v1/reports", net.token("op"), report_json(boyle_heights.lat, boyle_heights.lon));
  EXPECT_EQ(queued.status, 202u) << queued.body;
  v1::ReportReceipt held;
  ASSERT_EQ(wire::from_json(queued.body, held), "");
  EXPECT_FALSE(held.report().id().empty());
  auto ready = node->call(http::verb::get, "/readyz", "");
  EXPECT_NE(ready.body.find("degraded"), std::string::npos) << ready.body;
  EXPECT_NE(ready.body.find("1 reports"), std::string::npos) << ready.body;
  EXPECT_EQ(node->call(http::verb::get, "/healthz", "").status, 200u);  // alive, just not ready

  net.redis().restart();
  EXPECT_TRUE(wait_until([&] { return node->call(http::verb::get, "/readyz", "").status == 200; }));
  // What was queued goes out first, as the report it was.
  auto replayed = next_alert(*observer);
  ASSERT_TRUE(replayed);
  EXPECT_EQ(replayed->type(), v1::VERIFY);
  // The other node's subscriber re-subscribed by itself: an alert reaches its observer.
  client::HttpResponse accepted;
  auto elsewhere = boyle_heights_spot(5);  // not the queued raid: a new incident, a new alert
  ASSERT_TRUE(wait_until([&] {
    accepted = node->call(http::verb::post, "/v1/reports", net.token("op"), report_json(elsewhere.lat, elsewhere.lon));
    return accepted.status == 201;
  }));
  v1::ReportReceipt receipt;
  ASSERT_EQ(wire::from_json(accepted.body, receipt), "");
  auto alert = next_alert(*observer);
  ASSERT_TRUE(alert);
  EXPECT_EQ(alert->incident_id(), receipt.incident().id());

  auto metrics = node->call(http::verb::get, "/metrics", "");
  EXPECT_EQ(metrics.body.find("puente_redis_reconnects_total 0\n"), std::string::npos) << metrics.body;
}

TEST(RedisOutage, WhatWasAcceptedSurvivesARedisRestart) {
  TestNetwork net;
  auto node = net.start_node("a");
  auto accepted = node->call(http::verb::post, "/v1/reports", net.token("op"), report_json(downtown.lat, downtown.lon));
  ASSERT_EQ(accepted.status, 201u);
  v1::ReportReceipt receipt;
  ASSERT_EQ(wire::from_json(accepted.body, receipt), "");

  net.redis().restart();  // SIGTERM: Redis fsyncs its AOF and reloads it on start
  client::HttpResponse shown;
  ASSERT_TRUE(wait_until([&] {
    shown = node->call(http::verb::get, "/v1/incidents/" + receipt.incident().id(), net.token("disp"));
    return shown.status == 200;
  }));
  v1::Incident incident;
  ASSERT_EQ(wire::from_json(shown.body, incident), "");
  EXPECT_EQ(incident.reports_size(), 1);
  EXPECT_EQ(incident.alerts_size(), 1);
}

TEST(Metrics, CountWhatHappened) {
  TestNetwork net;
  auto node = net.start_node("a");
  auto observer = node->socket(net.token("obs-bh"), {"boyle-heights"});
  ASSERT_EQ(node->call(http::verb::post, "/v1/reports", net.token("op"), report_json(boyle_heights.lat, boyle_heights.lon)).status, 201u);
  ASSERT_TRUE(next_alert(*observer));
  node->call(http::verb::post, "/v1/reports", net.token("op"), "{");
  auto metrics = node->call(http::verb::get, "/metrics", "");
  ASSERT_EQ(metrics.status, 200u);
  for (const char* line : {"puente_reports_accepted_total 1\n", "puente_reports_rejected_total 1\n",
                           "puente_alerts_published_total 1\n", "puente_alerts_received_total 1\n",
                           "puente_deliveries_total 1\n", "puente_ws_connections 1\n"})
    EXPECT_NE(metrics.body.find(line), std::string::npos) << line << metrics.body;
  EXPECT_NE(metrics.body.find("puente_request_seconds_count"), std::string::npos);
}

}  // namespace
}  // namespace puente::test
