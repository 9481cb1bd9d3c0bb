// A phone's reply through a real Kannel (bearerbox, smsbox, fakesmsc: tests/support/
// kannel_gateway.hpp) to a real puented: smsbox posts it to /v1/sms/inbound with the
// credentials of deploy/kannel/make-credentials.sh, puented records it, and its answer (the HTTP
// answer's body, sms-service max-messages = 1) reaches the phone. The sender's sms-codes record
// is written into Redis directly, as the sender writes it when smsbox takes a text.

#include "sms_network.hpp"

#include "io_threads.hpp"
#include "kannel_gateway.hpp"
#include "wait_until.hpp"

#include "channels/sms/delivery_report.hpp"
#include "channels/sms/sendsms_client.hpp"

#include <future>

#include <gtest/gtest.h>

namespace puente::test {
namespace {

class SmsThroughKannel : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(KannelGateway::missing_programs(), "")
        << "install kannel and kannel-extras (deploy/install-deps.sh)";
    kannel = std::make_unique<KannelGateway>(sms.fragment_for(*node));
  }

  // The texts the phone `number` got, in order.
  std::vector<std::string> texts_to(const std::string& number) const {
    std::vector<std::string> texts;
    for (const auto& text : kannel->phone_received())
      if (text.to == number) texts.push_back(text.text);
    return texts;
  }

  SmsNetwork sms;
  TestNetwork& net = sms.net;
  std::unique_ptr<PuentedNode> node = net.start_node("a");
  std::unique_ptr<KannelGateway> kannel;
};

TEST_F(SmsThroughKannel, ReplyTwoRecordsOnSceneAndTheConfirmationReachesThePhone) {
  const auto opened = sms.open_raid(*node);
  const std::string& incident = opened.first;
  sms.texted("obs-bh", incident, opened.second);
  kannel->phone_sends(std::string(kAnaPhone) + " " + kNetworkNumber + " text 2");
  ASSERT_TRUE(wait_until([&] { return !sms.acks_of(*node, incident, "obs-bh").empty(); },
                         std::chrono::seconds(20)))
      << kannel->logs();
  EXPECT_EQ(sms.acks_of(*node, incident, "obs-bh"), std::vector<v1::AckState>{v1::ON_SCENE});
  ASSERT_TRUE(wait_until([&] { return !texts_to(kAnaPhone).empty(); }, std::chrono::seconds(20)))
      << kannel->logs();
  EXPECT_EQ(texts_to(kAnaPhone), std::vector<std::string>{"Puente: anotado ESTOY ALLI. Gracias."});
}

TEST_F(SmsThroughKannel, AccentedSpanishReplyInUcs2IsReadAndAnswered) {
  const auto opened = sms.open_raid(*node);
  const std::string& incident = opened.first;
  sms.texted("obs-bh", incident, opened.second);
  // "allí" typed on a phone that sends UCS-2.
  kannel->phone_sends(std::string(kAnaPhone) + " " + kNetworkNumber + " ucs2 %00a%00l%00l%00%ED");
  ASSERT_TRUE(wait_until([&] { return !texts_to(kAnaPhone).empty(); }, std::chrono::seconds(20)))
      << kannel->logs();
  EXPECT_EQ(sms.acks_of(*node, incident, "obs-bh"), std::vector<v1::AckState>{v1::ON_SCENE});
  EXPECT_EQ(texts_to(kAnaPhone), std::vector<std::string>{"Puente: anotado ESTOY ALLI. Gracias."});
}

TEST_F(SmsThroughKannel, AltoStopsTextsAndAnUnknownNumberGetsNothing) {
  kannel->phone_sends(std::string(kAnaPhone) + " " + kNetworkNumber + " text ALTO");
  ASSERT_TRUE(wait_until([&] { return !texts_to(kAnaPhone).empty(); }, std::chrono::seconds(20)))
      << kannel->logs();
  EXPECT_EQ(net.redis_integer("SISMEMBER puente:sms-stopped obs-bh"), 1);
  EXPECT_EQ(texts_to(kAnaPhone),
            std::vector<std::string>{
                "Puente: no recibira mas mensajes. INICIO para volver a recibirlos."});

  const auto keys = net.redis_key_count();
  kannel->phone_sends("+13235559999 " + std::string(kNetworkNumber) + " text 2");
  // smsbox posted it (the node says so, without the number) and texted nothing back
  // (omit-empty).
  ASSERT_TRUE(wait_until(
      [&] { return file_text(node->log_path()).find("no responder's") != std::string::npos; },
      std::chrono::seconds(20)))
      << kannel->logs();
  EXPECT_EQ(net.redis_key_count(), keys);
  EXPECT_TRUE(texts_to("+13235559999").empty());
}

// A text sent through smsbox with the dlr-url the sender gives (here sent by the test, with the
// sender's sms-text record written directly): the fake SMS centre's delivery report reaches
// GET /v1/sms/dlr with Kannel's credentials and shows in the delivery record.
TEST_F(SmsThroughKannel, TheGatewaysDeliveryReportShowsInTheDeliveryRecord) {
  const auto opened = sms.open_raid(*node);
  const std::string& incident = opened.first;
  const std::string& alert = opened.second;
  net.redis_integer("HSET puente:sms-text:m-kannel responder obs-bh alerts \"" + incident + " " +
                    alert + "\"");
  test::IoThreads io{1};
  sms::SendsmsClientOptions options;
  options.port = kannel->sendsms_port();
  options.sender.from = kNetworkNumber;
  sms::SendsmsClient client(io.executor(), sms.credentials, options);
  std::promise<sms::SendsmsResult> sent;
  client.send(
      {kAnaPhone, "REDADA K7Q Responda 2 alli",
       sms::delivery_report_url("http://127.0.0.1:" + std::to_string(node->port()) + "/v1/sms/dlr",
                                sms.credentials, "m-kannel"),
       sms::kDlrDelivered | sms::kDlrFailed | sms::kDlrSmscAccepted},
      [&](sms::SendsmsResult result) { sent.set_value(std::move(result)); });
  const auto result = sent.get_future().get();
  ASSERT_EQ(result.outcome, sms::SendsmsOutcome::accepted) << result.detail;

  const auto delivered = [&] {
    const auto read = sms.incident(*node, incident);
    for (const auto& d : read.deliveries())
      if (d.alert_id() == alert && d.responder_id() == "obs-bh") return d.has_text_delivered_at();
    return false;
  };
  ASSERT_TRUE(wait_until(delivered, std::chrono::seconds(20))) << kannel->logs();
}

}  // namespace
}  // namespace puente::test
