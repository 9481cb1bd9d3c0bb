// The SMS channel against a real Kannel (bearerbox, smsbox) and Kannel's fake SMS centre
// (fakesmsc) started on free loopback ports: texts out through smsbox's sendsms interface in
// GSM-7 and UCS-2, delivery reports back to the dlr-url, and a phone's reply in through the
// sms-service to the listener standing in for puented's inbound route, with the credentials
// both sides read from one file.

#include "callback_listener.hpp"
#include "child_process.hpp"
#include "file_text.hpp"
#include "free_port.hpp"
#include "io_threads.hpp"
#include "kannel_gateway.hpp"
#include "temp_dir.hpp"
#include "wait_until.hpp"

#include "channels/sms/delivery_report.hpp"
#include "channels/sms/gateway_credentials.hpp"
#include "channels/sms/inbound_sms.hpp"
#include "channels/sms/sendsms_client.hpp"
#include "core/responder_phones.hpp"
#include "core/sms_reply.hpp"
#include "core/sms_segments.hpp"

#include <gtest/gtest.h>

#include <future>
#include <random>
#include <stdexcept>
#include <string>

namespace puente::sms {
namespace {

using test::CallbackListener;
using test::KannelGateway;
using test::wait_until;

constexpr const char* kAnaPhone = "+13235550123";
constexpr const char* kNetworkNumber = "5550000";

std::string random_hex(std::size_t bytes) {
  std::random_device device;
  std::string out;
  for (std::size_t i = 0; i < bytes; ++i) {
    constexpr char kHex[] = "0123456789abcdef";
    const auto byte = device() & 0xFF;
    out += kHex[byte >> 4];
    out += kHex[byte & 0x0F];
  }
  return out;
}

// The fragment deploy/kannel/kannel.conf includes, made as an operator makes it
// (deploy/kannel/make-credentials.sh), pointed at the test's listener.
std::string credentials_fragment(unsigned short listener_port) {
  test::TempDir dir("puente-kannel-credentials-");
  const auto file = dir.path() / "puente-kannel.conf";
  test::ChildProcess script(std::string(PUENTE_SOURCE_DIR) + "/deploy/kannel/make-credentials.sh",
                            {file.string(), "http://127.0.0.1:" + std::to_string(listener_port)},
                            dir.path() / "log");
  const auto exit = script.wait_for_exit(std::chrono::seconds(30));
  if (!exit || !exit->exited || exit->code != 0)
    throw std::runtime_error("make-credentials.sh failed: " + test::file_text(dir.path() / "log"));
  return test::file_text(file);
}

class KannelGatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(KannelGateway::missing_programs(), "")
        << "install kannel and kannel-extras (deploy/install-deps.sh)";
    fragment_ = credentials_fragment(listener_.port());
    credentials_ = GatewayCredentials::parse(fragment_);
    kannel_ = std::make_unique<KannelGateway>(fragment_);
  }

  SendsmsResult send(const GatewayCredentials& credentials, OutboundSms sms) {
    SendsmsClientOptions options;
    options.port = kannel_->sendsms_port();
    options.sender.from = kNetworkNumber;
    SendsmsClient client(io_.executor(), credentials, options);
    std::promise<SendsmsResult> done;
    client.send(sms, [&](SendsmsResult result) { done.set_value(std::move(result)); });
    return done.get_future().get();
  }

  std::string dlr_base() const {
    return "http://127.0.0.1:" + std::to_string(listener_.port()) + "/v1/sms/dlr";
  }

  CallbackListener listener_;
  test::IoThreads io_{1};
  std::string fragment_;
  GatewayCredentials credentials_;
  std::unique_ptr<KannelGateway> kannel_;
  core::Roster roster_ = core::Roster::from_toml(
      "[[responder]]\nid = \"vol-ana\"\nroles = [\"volunteer\"]\nphone = \"+13235550123\"\n"
      "channels = [\"push\", \"sms\"]\n");
  core::ResponderPhones phones_{roster_, core::CallerKey(std::string(32, 'k'))};
};

TEST_F(KannelGatewayTest, Ucs2SpanishAndGsm7TextsReachThePhoneExactly) {
  // Spanish with í and á: UCS-2. English with the extension table's { } and €: GSM-7.
  const std::string spanish = "REDADA en César Chávez y Soto, 21:40. K7Q Responda 2 allí";
  const std::string english = "RAID at 1st & Soto {K7Q} 9:40 PM, bail fund 5€. Reply 1 on my way";
  ASSERT_EQ(core::sms_length(spanish).encoding, core::SmsEncoding::ucs2);
  ASSERT_EQ(core::sms_length(spanish).segments, 1u);
  ASSERT_EQ(core::sms_length(english).encoding, core::SmsEncoding::gsm7);

  const auto ucs2 = send(credentials_, {kAnaPhone, spanish, "", 0});
  EXPECT_EQ(ucs2.outcome, SendsmsOutcome::accepted) << ucs2.detail;
  const auto gsm7 = send(credentials_, {kAnaPhone, english, "", 0});
  EXPECT_EQ(gsm7.outcome, SendsmsOutcome::accepted) << gsm7.detail;

  ASSERT_TRUE(wait_until([&] { return kannel_->phone_received().size() == 2; })) << kannel_->logs();
  const auto received = kannel_->phone_received();
  EXPECT_EQ(received[0].from, kNetworkNumber);
  EXPECT_EQ(received[0].to, kAnaPhone);
  EXPECT_EQ(received[0].type, "ucs-2");
  EXPECT_EQ(received[0].text, spanish);
  EXPECT_EQ(received[1].to, kAnaPhone);
  EXPECT_EQ(received[1].type, "text");
  EXPECT_EQ(received[1].text, english);
}

TEST_F(KannelGatewayTest, DeliveryReportsReachTheDlrUrlWithKannelsCredentials) {
  const auto result = send(credentials_, {kAnaPhone, "RAID K7Q Reply 1 on my way",
                                          delivery_report_url(dlr_base(), credentials_, "al-7f3a"),
                                          kDlrDelivered | kDlrFailed | kDlrSmscAccepted});
  ASSERT_EQ(result.outcome, SendsmsOutcome::accepted) << result.detail;

  // The fake SMSC acknowledges (8) and reports the text delivered (1).
  ASSERT_TRUE(wait_until([&] { return listener_.received().size() == 2; })) << kannel_->logs();
  std::vector<DeliveryStatus> statuses;
  for (const auto& request : listener_.received()) {
    EXPECT_TRUE(credentials_.authorizes(request.authorization)) << request.authorization;
    const auto parsed = parse_delivery_report(request.target, phones_);
    ASSERT_TRUE(parsed.report) << parsed.error;
    EXPECT_EQ(parsed.report->message_id, "al-7f3a");
    EXPECT_EQ(parsed.report->phone_hash, phones_.hash_of(*roster_.find("vol-ana")));
    EXPECT_GT(parsed.report->at_unix, 0);
    statuses.push_back(parsed.report->status);
  }
  EXPECT_NE(std::find(statuses.begin(), statuses.end(), DeliveryStatus::smsc_accepted),
            statuses.end());
  EXPECT_NE(std::find(statuses.begin(), statuses.end(), DeliveryStatus::delivered), statuses.end());
}

TEST_F(KannelGatewayTest, APhonesReplyReachesTheInboundRouteAuthenticated) {
  kannel_->phone_sends(std::string(kAnaPhone) + " " + kNetworkNumber + " text 2 B");
  ASSERT_TRUE(wait_until([&] { return listener_.received().size() == 1; })) << kannel_->logs();
  // And one typed with Spanish accents, which the phone sends as UCS-2.
  kannel_->phone_sends(std::string(kAnaPhone) + " " + kNetworkNumber + " ucs2 %00a%00l%00l%00%ED");
  ASSERT_TRUE(wait_until([&] { return listener_.received().size() == 2; })) << kannel_->logs();

  const auto received = listener_.received();
  std::vector<std::string> texts;
  for (const auto& request : received) {
    EXPECT_EQ(request.method, "POST");
    EXPECT_TRUE(credentials_.authorizes(request.authorization)) << request.authorization;
    // No secret in the path or the query.
    EXPECT_EQ(request.target.find(credentials_.gateway_password), std::string::npos);
    const auto parsed =
        parse_inbound_sms(request.target, request.content_type, request.body, phones_);
    ASSERT_TRUE(parsed.sms) << parsed.error;
    EXPECT_EQ(phones_.by_hash(parsed.sms->from_hash), roster_.find("vol-ana"));
    EXPECT_FALSE(parsed.sms->gateway_id.empty());
    texts.push_back(parsed.sms->text);
  }
  EXPECT_EQ(texts[0], "2 B");
  EXPECT_EQ(texts[1], "allí");
  const auto on_scene = core::parse_sms_reply(texts[0]);
  EXPECT_EQ(on_scene.kind, core::SmsReplyKind::ack);
  EXPECT_EQ(on_scene.state, v1::ON_SCENE);
  EXPECT_EQ(on_scene.alert_letter, 'B');
  EXPECT_EQ(core::parse_sms_reply(texts[1]).state, v1::ON_SCENE);
}

TEST_F(KannelGatewayTest, AWrongPasswordIsRefusedAndNothingReachesThePhone) {
  GatewayCredentials wrong = credentials_;
  wrong.sendsms_password = random_hex(16);
  const auto result = send(wrong, {kAnaPhone, "RAID", "", 0});
  EXPECT_EQ(result.outcome, SendsmsOutcome::refused);
  EXPECT_EQ(result.status, 403);
  // A text that does go after it is the only one the phone gets.
  ASSERT_EQ(send(credentials_, {kAnaPhone, "second", "", 0}).outcome, SendsmsOutcome::accepted);
  ASSERT_TRUE(wait_until([&] { return kannel_->phone_received().size() == 1; }));
  EXPECT_EQ(kannel_->phone_received()[0].text, "second");
}

TEST(SendsmsClient, NoGatewayListeningIsGatewayDown) {
  test::IoThreads io(1);
  const test::RefusedPort nobody;
  SendsmsClientOptions options;
  options.port = nobody.port();
  options.sender.from = kNetworkNumber;
  SendsmsClient client(io.executor(), GatewayCredentials{}, options);
  std::promise<SendsmsResult> done;
  client.send({kAnaPhone, "RAID", "", 0},
              [&](SendsmsResult result) { done.set_value(std::move(result)); });
  const auto result = done.get_future().get();
  EXPECT_EQ(result.outcome, SendsmsOutcome::gateway_down);
  EXPECT_EQ(result.status, 0);
  EXPECT_NE(result.detail.find("connect"), std::string::npos) << result.detail;
}

}  // namespace
}  // namespace puente::sms
