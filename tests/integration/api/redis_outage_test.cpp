// A node without Redis says so (readyz 503, writes 503 with nothing claimed), and comes back
// by itself when Redis does: commands reconnect, the live feed re-subscribes, alerts flow.
#include "test_network.hpp"

#include "file_text.hpp"
#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

namespace puente::test {
namespace {

namespace http = boost::beast::http;

std::string ack_json(const std::string& alert_id, const std::string& incident_id,
                     const std::string& state) {
  return R"({"alertId":")" + alert_id + R"(","incidentId":")" + incident_id + R"(","state":")" +
         state + R"("})";
}

// The error code of a refusal ({"error": {...}}), or "" if the body is none.
std::string error_code(const client::HttpResponse& response) {
  v1::ServerMessage parsed;
  if (!wire::from_json(response.body, parsed).empty()) return "";
  return parsed.error().code();
}

bool metric_is(PuentedNode& node, const std::string& line) {
  return node.metrics().body.find(line + "\n") != std::string::npos;
}

// Redis goes away once an incident with an alert to obs-bh is open; returns that alert.
v1::Alert alert_then_outage(TestNetwork& net, PuentedNode& node) {
  auto observer = node.socket(net.token("obs-bh"), {"boyle-heights"});
  const auto incident_id = open_incident(node, net.token("op"), boyle_heights);
  auto alert = next_alert(*observer);
  EXPECT_TRUE(alert);
  net.redis().stop();
  EXPECT_TRUE(wait_until([&] { return node.call(http::verb::get, "/readyz", "").status == 503; }));
  return alert.value_or(v1::Alert{});
}

TEST(RedisOutage, ANodeQueuesReportsWhileRedisIsDownAndSendsThemWhenItIsBack) {
  TestNetwork net;
  auto node = net.start_node("a");
  auto other = net.start_node("b");
  auto observer = other->socket(net.token("obs-bh"), {"boyle-heights"});

  net.redis().stop();
  EXPECT_TRUE(wait_until([&] { return node->call(http::verb::get, "/readyz", "").status == 503; }));
  auto queued = node->call(http::verb::post, "/v1/reports", net.token("op"),
                           report_json(boyle_heights.lat, boyle_heights.lon));
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
    accepted = node->call(http::verb::post, "/v1/reports", net.token("op"),
                          report_json(elsewhere.lat, elsewhere.lon));
    return accepted.status == 201;
  }));
  v1::ReportReceipt receipt;
  ASSERT_EQ(wire::from_json(accepted.body, receipt), "");
  auto alert = next_alert(*observer);
  ASSERT_TRUE(alert);
  EXPECT_EQ(alert->incident_id(), receipt.incident().id());

  auto metrics = node->metrics();
  EXPECT_EQ(metrics.body.find("puente_redis_reconnects_total 0\n"), std::string::npos)
      << metrics.body;
}

TEST(RedisOutage, WhatWasAcceptedSurvivesARedisRestart) {
  TestNetwork net;
  auto node = net.start_node("a");
  auto accepted = node->call(http::verb::post, "/v1/reports", net.token("op"),
                             report_json(downtown.lat, downtown.lon));
  ASSERT_EQ(accepted.status, 201u);
  v1::ReportReceipt receipt;
  ASSERT_EQ(wire::from_json(accepted.body, receipt), "");

  net.redis().restart();  // SIGTERM: Redis fsyncs its AOF and reloads it on start
  client::HttpResponse shown;
  ASSERT_TRUE(wait_until([&] {
    shown =
        node->call(http::verb::get, "/v1/incidents/" + receipt.incident().id(), net.token("disp"));
    return shown.status == 200;
  }));
  v1::Incident incident;
  ASSERT_EQ(wire::from_json(shown.body, incident), "");
  EXPECT_EQ(incident.reports_size(), 1);
  EXPECT_EQ(incident.alerts_size(), 1);
}

// Issue 15, item 10: what the node can check without Redis is refused, not journaled (to be
// dropped silently at the replay, as an operator's ack for inc-fake was).
TEST(RedisOutage, WhatCanBeCheckedWithoutRedisIsRefusedNotJournaled) {
  TestNetwork net;
  auto node = net.start_node("a");
  const auto alert = alert_then_outage(net, *node);
  ASSERT_FALSE(alert.id().empty());

  auto by_operator = node->call(http::verb::post, "/v1/acks", net.token("op"),
                                ack_json(alert.id(), alert.incident_id(), "ON_SCENE"));
  EXPECT_EQ(by_operator.status, 403u) << "an operator acks nothing: " << by_operator.body;
  EXPECT_EQ(error_code(by_operator), "forbidden");
  auto fake_incident = node->call(http::verb::post, "/v1/acks", net.token("obs-bh"),
                                  ack_json(alert.id(), "inc-fake", "ON_SCENE"));
  EXPECT_EQ(fake_incident.status, 400u) << fake_incident.body;
  EXPECT_EQ(error_code(fake_incident), "bad_incident_id");
  auto fake_alert = node->call(http::verb::post, "/v1/acks", net.token("obs-bh"),
                               ack_json("al-1:x", alert.incident_id(), "ON_SCENE"));
  EXPECT_EQ(fake_alert.status, 400u) << fake_alert.body;
  EXPECT_EQ(error_code(fake_alert), "bad_alert_id");
  EXPECT_TRUE(metric_is(*node, "puente_journal_queued_total 0"))
      << "nothing refused reached the journal";

  // A well-formed ack by an observer still waits for Redis.
  auto kept = node->call(http::verb::post, "/v1/acks", net.token("obs-bh"),
                         ack_json(alert.id(), alert.incident_id(), "EN_ROUTE"));
  EXPECT_EQ(kept.status, 202u) << kept.body;
  EXPECT_TRUE(metric_is(*node, "puente_journal_queued_total 1"));
}

TEST(RedisOutage, TheJournalIsCappedNodeWideAndPerResponder) {
  TestNetwork net(
      "[rate_limits]\nreports_per_token_per_second = 0\nrequests_per_token_per_second = 0\n"
      "requests_per_address_per_second = 0\nfailed_sign_ins_per_address_per_second = 0\n"
      "journal_per_responder_per_second = 0.001\njournal_per_responder_burst = 2\n",
      "journal_max_entries = 3\n");
  auto node = net.start_node("a");
  const auto alert = alert_then_outage(net, *node);
  ASSERT_FALSE(alert.id().empty());

  // One responder: two entries, then no more, whatever the journal's room.
  for (const char* state : {"RECEIVED", "EN_ROUTE"}) {
    auto kept = node->call(http::verb::post, "/v1/acks", net.token("obs-bh"),
                           ack_json(alert.id(), alert.incident_id(), state));
    EXPECT_EQ(kept.status, 202u) << kept.body;
  }
  auto over_rate = node->call(http::verb::post, "/v1/acks", net.token("obs-bh"),
                              ack_json(alert.id(), alert.incident_id(), "ON_SCENE"));
  EXPECT_EQ(over_rate.status, 429u) << over_rate.body;
  EXPECT_EQ(over_rate.content_type, "application/json");
  EXPECT_EQ(error_code(over_rate), "journal_rate_limited") << over_rate.body;

  // The node: three entries, then 503 for everyone, saying why.
  auto third = node->call(http::verb::post, "/v1/reports", net.token("op"),
                          report_json(downtown.lat, downtown.lon));
  EXPECT_EQ(third.status, 202u) << third.body;
  auto full = node->call(http::verb::post, "/v1/reports", net.token("disp"),
                         report_json(downtown.lat, downtown.lon));
  EXPECT_EQ(full.status, 503u) << full.body;
  EXPECT_EQ(full.content_type, "application/json");
  EXPECT_EQ(error_code(full), "journal_full") << full.body;
  EXPECT_TRUE(metric_is(*node, "puente_journal_queued_total 3"));
  EXPECT_TRUE(metric_is(*node, "puente_journal_refused_total 2"));

  // Nothing accepted is lost: once Redis is back the three go out.
  net.redis().restart();
  EXPECT_TRUE(wait_until([&] { return metric_is(*node, "puente_journal_replayed_total 3"); },
                         std::chrono::seconds(20)));
}

TEST(RedisOutage, AnEntryRefusedAtItsReplayIsLoggedCountedAndAudited) {
  TestNetwork net;
  auto node = net.start_node("a");
  const auto alert = alert_then_outage(net, *node);
  ASSERT_FALSE(alert.id().empty());
  // Well formed, so only Redis can tell it names no incident.
  auto kept = node->call(http::verb::post, "/v1/acks", net.token("obs-bh"),
                         ack_json("al-00000000000000a1", "inc-00000000000000b2", "ON_SCENE"));
  ASSERT_EQ(kept.status, 202u) << kept.body;

  net.redis().restart();
  EXPECT_TRUE(wait_until([&] { return metric_is(*node, "puente_journal_dropped_total 1"); },
                         std::chrono::seconds(20)));
  EXPECT_TRUE(metric_is(*node, "puente_journal_replayed_total 0"));
  EXPECT_TRUE(wait_until([&] {
    return node->call(http::verb::get, "/v1/admin/audit", net.token("admin"))
               .body.find("journal.dropped.ack") != std::string::npos;
  }));
  const auto log = file_text(node->log_path());
  EXPECT_NE(log.find("dropped at its replay: not_found"), std::string::npos);
}

TEST(Metrics, CountWhatHappened) {
  TestNetwork net;
  auto node = net.start_node("a");
  auto observer = node->socket(net.token("obs-bh"), {"boyle-heights"});
  ASSERT_EQ(node->call(http::verb::post, "/v1/reports", net.token("op"),
                       report_json(boyle_heights.lat, boyle_heights.lon))
                .status,
            201u);
  ASSERT_TRUE(next_alert(*observer));
  node->call(http::verb::post, "/v1/reports", net.token("op"), "{");
  auto metrics = node->metrics();
  ASSERT_EQ(metrics.status, 200u);
  for (const char* line : {"puente_reports_accepted_total 1\n", "puente_reports_rejected_total 1\n",
                           "puente_alerts_published_total 1\n", "puente_alerts_received_total 1\n",
                           "puente_deliveries_total 1\n", "puente_ws_connections 1\n"})
    EXPECT_NE(metrics.body.find(line), std::string::npos) << line << metrics.body;
  EXPECT_NE(metrics.body.find("puente_request_seconds_count"), std::string::npos);
}

}  // namespace
}  // namespace puente::test
