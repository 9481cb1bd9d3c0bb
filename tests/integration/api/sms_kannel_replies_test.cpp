// A phone's reply through a real Kannel (bearerbox, smsbox, fakesmsc: tests/support/
// kannel_gateway.hpp) to a real puented: smsbox posts it to /v1/sms/inbound with the
// credentials of deploy/kannel/make-credentials.sh, puented records it, and its answer (the HTTP
// answer's body, sms-service max-messages = 1) reaches the phone. The sender's sms-codes record
// is written into Redis directly, as the sender writes it when smsbox takes a text.

#include "sms_network.hpp"

#include "kannel_gateway.hpp"
#include "wait_until.hpp"

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
  kannel->phone_sends(std::string(kAnaPhone) + " " + kNetworkNumber +
                      " ucs2 %00a%00l%00l%00%ED");
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

}  // namespace
}  // namespace puente::test
