// POST /v1/sms/inbound with a real redis-server and a real puented (SMS on, sms_network.hpp):
// Kannel's credentials or nothing changes, a reply acks the alert its sms-codes names (the
// sender's record, written here as the sender writes it), the letters of a bundle, an unknown
// number, each Kannel id taken once, STOP/START, AVAILABLE, and the help text once.

#include "sms_network.hpp"

#include "wait_until.hpp"

#include <gtest/gtest.h>

namespace puente::test {
namespace {

namespace http = boost::beast::http;

class SmsInbound : public ::testing::Test {
 protected:
  SmsNetwork sms;
  TestNetwork& net = sms.net;
  std::unique_ptr<PuentedNode> node = net.start_node("a");
};

TEST_F(SmsInbound, ReplyTwoRecordsOnSceneOnTheRightIncidentAndShowsOnTheBoard) {
  auto board = node->socket(net.token("disp"), {"boyle-heights"}, /*board=*/true);
  const auto [old_incident, old_alert] = sms.open_raid(*node, boyle_heights_spot(0));
  const auto [incident, alert] = sms.open_raid(*node, boyle_heights_spot(1));
  ASSERT_NE(old_incident, incident);
  // The sender texted obs-bh the second alert last: "2" answers it.
  sms.texted("obs-bh", incident, alert);

  const auto answer = sms.inbound(*node, kAnaPhone, "2", "k-1", sms.basic());
  ASSERT_EQ(answer.status, 200u) << answer.body;
  EXPECT_EQ(answer.body, "Puente: anotado ESTOY ALLI. Gracias.");  // obs-bh reads Spanish
  EXPECT_EQ(answer.content_type, "text/plain; charset=UTF-8");
  EXPECT_EQ(sms.acks_of(*node, incident, "obs-bh"), std::vector<v1::AckState>{v1::ON_SCENE});
  EXPECT_TRUE(sms.acks_of(*node, old_incident, "obs-bh").empty());
  const auto shown = read_until(*board, [&](const v1::ServerMessage& m) {
    return m.has_incident() && m.incident().what() == "ack" &&
           m.incident().ack().responder_id() == "obs-bh";
  });
  ASSERT_TRUE(shown) << "the board never showed the ack";
  EXPECT_EQ(shown->incident().ack().state(), v1::ON_SCENE);
  EXPECT_EQ(shown->incident().ack().alert_id(), alert);
  // The answer texted back counts in the hour's budget.
  EXPECT_TRUE(wait_until([&] { return sms.texts_counted() == 1; })) << sms.texts_counted();
  // The number never reaches the log.
  EXPECT_EQ(file_text(node->log_path()).find("3235550123"), std::string::npos);
}

TEST_F(SmsInbound, ALetterPicksItsAlertOfABundle) {
  const auto [first, first_alert] = sms.open_raid(*node, boyle_heights_spot(2));
  const auto [second, second_alert] = sms.open_raid(*node, boyle_heights_spot(3));
  sms.texted("att-bh", first, first_alert, "A");
  sms.texted("att-bh", second, second_alert, "B");
  sms.texted("att-bh", second, second_alert, "latest");

  const auto answer = sms.inbound(*node, kBenPhone, "1 a", "k-2", sms.basic());
  ASSERT_EQ(answer.status, 200u) << answer.body;
  EXPECT_EQ(answer.body, "Puente: recorded ON MY WAY for A. Thank you.");
  EXPECT_EQ(sms.acks_of(*node, first, "att-bh"), std::vector<v1::AckState>{v1::EN_ROUTE});
  EXPECT_TRUE(sms.acks_of(*node, second, "att-bh").empty());

  // A letter the last text did not carry acks nothing.
  const auto stray = sms.inbound(*node, kBenPhone, "3 C", "k-3", sms.basic());
  EXPECT_EQ(stray.body, "Puente: no recent alert for that answer. HELP: how to answer.");
  EXPECT_TRUE(sms.acks_of(*node, second, "att-bh").empty());
}

TEST_F(SmsInbound, WithoutTheGatewaysCredentialsNothingChanges) {
  const auto [incident, alert] = sms.open_raid(*node);
  sms.texted("obs-bh", incident, alert);
  const auto keys = net.redis_key_count();
  for (const std::string& authorization :
       {std::string(), std::string("Basic a2FubmVsOndyb25nLXBhc3N3b3JkLTEyMzQ="),
        "Bearer " + net.token("admin"), sms.basic() + "x"}) {
    const auto answer = sms.inbound(*node, kAnaPhone, "2", "k-4", authorization);
    EXPECT_EQ(answer.status, 401u) << authorization << ": " << answer.body;
    EXPECT_NE(answer.body.find("bad_gateway_credentials"), std::string::npos) << answer.body;
    EXPECT_EQ(answer.header("WWW-Authenticate").value_or(""), "Basic realm=\"puente-sms\"");
  }
  EXPECT_EQ(net.redis_key_count(), keys);
  EXPECT_TRUE(sms.acks_of(*node, incident, "obs-bh").empty());
  // The same message with the credentials is taken: its id was not used up by the refusals.
  EXPECT_EQ(sms.inbound(*node, kAnaPhone, "2", "k-4", sms.basic()).status, 200u);
  EXPECT_EQ(sms.acks_of(*node, incident, "obs-bh"), std::vector<v1::AckState>{v1::ON_SCENE});
}

TEST_F(SmsInbound, AnUnknownNumberChangesNothingAndGetsNothingBack) {
  const auto [incident, alert] = sms.open_raid(*node);
  sms.texted("obs-bh", incident, alert);
  const auto keys = net.redis_key_count();
  for (const char* text : {"2", "STOP", "DISPONIBLE 2", "hola"}) {
    const auto answer = sms.inbound(*node, "+13235559999", text, "k-5", sms.basic());
    EXPECT_EQ(answer.status, 200u) << answer.body;
    EXPECT_EQ(answer.body, "") << text;
  }
  EXPECT_EQ(net.redis_key_count(), keys);
  EXPECT_TRUE(sms.acks_of(*node, incident, "obs-bh").empty());
  EXPECT_EQ(net.redis_integer("SCARD puente:sms-stopped"), 0);
  // And never reaches the log.
  EXPECT_EQ(file_text(node->log_path()).find("5559999"), std::string::npos);
}

TEST_F(SmsInbound, EachKannelIdIsTakenOnce) {
  const auto [incident, alert] = sms.open_raid(*node);
  sms.texted("obs-bh", incident, alert);
  EXPECT_EQ(sms.inbound(*node, kAnaPhone, "1", "k-6", sms.basic()).body,
            "Puente: anotado VOY. Gracias.");
  // Kannel posting the same message again (it got no answer): nothing more, nothing back.
  const auto again = sms.inbound(*node, kAnaPhone, "2", "k-6", sms.basic());
  EXPECT_EQ(again.status, 200u);
  EXPECT_EQ(again.body, "");
  EXPECT_EQ(sms.acks_of(*node, incident, "obs-bh"), std::vector<v1::AckState>{v1::EN_ROUTE});
}

TEST_F(SmsInbound, StopStopsTextsTellsTheDispatchersAndStartUndoesIt) {
  const auto stop = sms.inbound(*node, kBenPhone, "Stop", "k-7", sms.basic());
  ASSERT_EQ(stop.status, 200u) << stop.body;
  EXPECT_EQ(stop.body, "Puente: you will get no more texts. START to get them again.");
  EXPECT_EQ(net.redis_integer("SISMEMBER puente:sms-stopped att-bh"), 1);
  const auto alto = sms.inbound(*node, kAnaPhone, "ALTO", "k-8", sms.basic());
  EXPECT_EQ(alto.body, "Puente: no recibira mas mensajes. INICIO para volver a recibirlos.");
  EXPECT_EQ(net.redis_integer("SISMEMBER puente:sms-stopped obs-bh"), 1);

  // The dispatchers see who stopped: the audit log and the SMS status.
  ASSERT_TRUE(wait_until([&] {
    int stops = 0;
    const auto log = node->audit_log(net.token("admin"));
    for (const auto& entry : log.entries())
      if (entry.action() == "sms.stop") ++stops;
    return stops == 2;
  }));
  const auto status = node->call(http::verb::get, "/v1/sms/status", net.token("disp"));
  ASSERT_EQ(status.status, 200u) << status.body;
  EXPECT_NE(status.body.find(R"("stopped":["att-bh","obs-bh"])"), std::string::npos) << status.body;

  const auto start = sms.inbound(*node, kBenPhone, "START", "k-9", sms.basic());
  EXPECT_EQ(start.body, "Puente: texts are on again. STOP to stop them.");
  EXPECT_EQ(net.redis_integer("SISMEMBER puente:sms-stopped att-bh"), 0);
  EXPECT_EQ(net.redis_integer("SISMEMBER puente:sms-stopped obs-bh"), 1);
}

TEST_F(SmsInbound, AvailableSetsThemAvailableForThoseHours) {
  const auto answer = sms.inbound(*node, kAnaPhone, "DISPONIBLE 2", "k-10", sms.basic());
  ASSERT_EQ(answer.status, 200u) << answer.body;
  EXPECT_EQ(answer.body, "Puente: disponible por 2 h. NO DISPONIBLE para terminar.");
  // In the availability book until two hours from now (give or take the test's own minutes).
  const long long now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  const long long until_ms = net.redis_integer(
      R"lua(EVAL "return tonumber(redis.call('HGET', KEYS[1], ARGV[1]))" 1 puente:available obs-bh)lua");
  EXPECT_GT(until_ms, now_ms + 115 * 60'000);
  EXPECT_LT(until_ms, now_ms + 125 * 60'000);

  const auto ended = sms.inbound(*node, kAnaPhone, "no disponible", "k-14", sms.basic());
  EXPECT_EQ(ended.body, "Puente: ya no esta disponible fuera de sus turnos.");
  EXPECT_EQ(net.redis_integer("HEXISTS puente:available obs-bh"), 0);
}

TEST_F(SmsInbound, HelpGoesBackOnceForWhatMeansNothing) {
  const auto first = sms.inbound(*node, kBenPhone, "what is this", "k-11", sms.basic());
  EXPECT_EQ(first.body.rfind("Puente: reply 1 on my way", 0), 0u) << first.body;
  const auto second = sms.inbound(*node, kBenPhone, "hello?", "k-12", sms.basic());
  EXPECT_EQ(second.status, 200u);
  EXPECT_EQ(second.body, "") << "the help text went twice";
  // Asked for, it always goes.
  const auto asked = sms.inbound(*node, kBenPhone, "HELP", "k-13", sms.basic());
  EXPECT_EQ(asked.body, first.body);
}

}  // namespace
}  // namespace puente::test
