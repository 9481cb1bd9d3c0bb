// GET /v1/sms/dlr (Kannel calling the dlr-url a text went with) with a real redis-server and a
// real puented, SMS on (sms_network.hpp): a final report lands in the delivery record of every
// alert the text carried, as the incident shows it and `puente incident` prints it. The text's
// sms-text record and its "texted" field are written into Redis directly, as the sender writes
// them when smsbox takes a text (docs/sms.md), since nothing here sends texts.

#include "sms_network.hpp"

#include "core/clock.hpp"

#include <gtest/gtest.h>

namespace puente::test {
namespace {

namespace http = boost::beast::http;

constexpr long long kTextedMs = 1765000000000;
constexpr long long kReportUnix = 1765000042;

class SmsDeliveryReport : public ::testing::Test {
 protected:
  // What the sender records when smsbox takes text `message` for `responder`.
  void texted(const std::string& message, const std::string& responder,
              const std::vector<std::pair<std::string, std::string>>& alerts) {
    std::string carried;
    for (const auto& [incident, alert] : alerts) {
      carried += (carried.empty() ? "" : ",") + incident + " " + alert;
      net.redis_integer("HSET puente:incident:" + incident + ":texts \"texted " + alert + " " +
                        responder + "\" " + std::to_string(kTextedMs));
    }
    net.redis_integer("HSET puente:sms-text:" + message + " responder " + responder + " alerts \"" +
                      carried + "\"");
  }

  client::HttpResponse report(const std::string& message, int status, const std::string& phone,
                              const std::string& authorization) {
    client::HttpClient http(node->address());
    client::Headers headers;
    if (!authorization.empty()) headers.emplace_back("Authorization", authorization);
    return http.request(http::verb::get,
                        "/v1/sms/dlr?m=" + message + "&s=" + std::to_string(status) +
                            "&a=ACK%2F&p=%2B" + phone.substr(1) +
                            "&t=" + std::to_string(kReportUnix),
                        {}, {}, "application/json", headers);
  }

  v1::Delivery delivery(const std::string& incident, const std::string& alert,
                        const std::string& responder) {
    const auto read = sms.incident(*node, incident);
    for (const auto& d : read.deliveries())
      if (d.alert_id() == alert && d.responder_id() == responder) return d;
    ADD_FAILURE() << "no delivery record for " << alert << " " << responder;
    return {};
  }

  SmsNetwork sms;
  TestNetwork& net = sms.net;
  std::unique_ptr<PuentedNode> node = net.start_node("a");
};

TEST_F(SmsDeliveryReport, DeliveredLandsInEveryAlertTheTextCarried) {
  const auto [first, first_alert] = sms.open_raid(*node, boyle_heights_spot(4));
  const auto [second, second_alert] = sms.open_raid(*node, boyle_heights_spot(5));
  texted("m-bundle", "obs-bh", {{first, first_alert}, {second, second_alert}});
  auto before = delivery(first, first_alert, "obs-bh");
  EXPECT_EQ(core::to_ms(before.texted_at()), kTextedMs);
  EXPECT_FALSE(before.has_text_delivered_at());

  // The SMS centre took it (8): on the way, nothing shows yet.
  EXPECT_EQ(report("m-bundle", 8, kAnaPhone, sms.basic()).status, 204u);
  EXPECT_FALSE(delivery(first, first_alert, "obs-bh").has_text_delivered_at());
  EXPECT_EQ(report("m-bundle", 1, kAnaPhone, sms.basic()).status, 204u);
  for (const auto& [incident, alert] : std::vector<std::pair<std::string, std::string>>{
           {first, first_alert}, {second, second_alert}}) {
    const auto d = delivery(incident, alert, "obs-bh");
    EXPECT_EQ(core::to_ms(d.text_delivered_at()), kReportUnix * 1000) << incident;
    EXPECT_EQ(d.text_problem(), "") << incident;
  }
  // A late failure for a delivered text, or the same report again, changes nothing.
  EXPECT_EQ(report("m-bundle", 2, kAnaPhone, sms.basic()).status, 204u);
  EXPECT_EQ(report("m-bundle", 1, kAnaPhone, sms.basic()).status, 204u);
  const auto after = delivery(second, second_alert, "obs-bh");
  EXPECT_EQ(core::to_ms(after.text_delivered_at()), kReportUnix * 1000);
  EXPECT_EQ(after.text_problem(), "");
}

TEST_F(SmsDeliveryReport, FailedAndRejectedShowAsTheProblem) {
  const auto [first, first_alert] = sms.open_raid(*node, boyle_heights_spot(6));
  const auto [second, second_alert] = sms.open_raid(*node, boyle_heights_spot(7));
  texted("m-first", "obs-bh", {{first, first_alert}});
  texted("m-second", "obs-bh", {{second, second_alert}});
  EXPECT_EQ(report("m-first", 2, kAnaPhone, sms.basic()).status, 204u);
  EXPECT_EQ(report("m-second", 16, kAnaPhone, sms.basic()).status, 204u);
  EXPECT_EQ(delivery(first, first_alert, "obs-bh").text_problem(), "failed");
  EXPECT_EQ(delivery(second, second_alert, "obs-bh").text_problem(), "rejected");
  EXPECT_FALSE(delivery(second, second_alert, "obs-bh").has_text_delivered_at());
}

TEST_F(SmsDeliveryReport, AReportForAnotherPhoneOrWithoutCredentialsChangesNothing) {
  const auto [incident, alert] = sms.open_raid(*node);
  texted("m-ana", "obs-bh", {{incident, alert}});
  const auto keys = net.redis_key_count();
  // Ben's number on the report of a text to Ana: nothing is written.
  EXPECT_EQ(report("m-ana", 1, kBenPhone, sms.basic()).status, 204u);
  for (const std::string& authorization : {std::string(), "Bearer " + net.token("admin")})
    EXPECT_EQ(report("m-ana", 1, kAnaPhone, authorization).status, 401u);
  EXPECT_EQ(report("m-ana", 7, kAnaPhone, sms.basic()).status, 400u);
  EXPECT_EQ(net.redis_key_count(), keys);
  // A report of a text nobody sent: kept in its own key a while, as the sender may not have
  // written the text's record yet (store/sms_early_report_test.cpp), and nowhere else.
  EXPECT_EQ(report("m-none", 1, kAnaPhone, sms.basic()).status, 204u);
  EXPECT_EQ(net.redis_key_count(), keys + 1);
  EXPECT_GT(net.redis_integer("TTL puente:sms-text:m-none"), 0);
  EXPECT_FALSE(delivery(incident, alert, "obs-bh").has_text_delivered_at());
}

}  // namespace
}  // namespace puente::test
