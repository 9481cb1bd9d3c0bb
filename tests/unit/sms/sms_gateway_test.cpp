// The SMS channel's pure parts: the credentials file puented and Kannel share, the sendsms
// request, smsbox's answers, and Kannel's callbacks (delivery reports, inbound texts).

#include "channels/sms/delivery_report.hpp"
#include "channels/sms/gateway_credentials.hpp"
#include "channels/sms/inbound_sms.hpp"
#include "channels/sms/sendsms_request.hpp"
#include "channels/sms/sendsms_result.hpp"
#include "core/responder_phones.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace puente::sms {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kSendsmsPassword = "0123456789abcdef0123";
const std::string kGatewayPassword = "fedcba9876543210fedc";

std::string fragment(const std::string& post_url) {
  return "# puente-kannel.conf\n"
         "group = sendsms-user\n"
         "username = puente\n"
         "password = " +
         kSendsmsPassword +
         "\n"
         "max-messages = 2\n"
         "\n"
         "group = sms-service\n"
         "keyword = default\n"
         "post-url = \"" +
         post_url + "\"\n";
}

const std::string kPostUrl = "http://kannel:" + kGatewayPassword +
                             "@127.0.0.1:8080/v1/sms/inbound?from=%p&charset=%C&id=%I&time=%T";

TEST(GatewayCredentials, ReadsBothSidesFromKannelsOwnConfig) {
  const auto credentials = GatewayCredentials::parse(fragment(kPostUrl));
  EXPECT_EQ(credentials.sendsms_username, "puente");
  EXPECT_EQ(credentials.sendsms_password, kSendsmsPassword);
  EXPECT_EQ(credentials.gateway_username, "kannel");
  EXPECT_EQ(credentials.gateway_password, kGatewayPassword);
  EXPECT_EQ(credentials.userinfo(), "kannel:" + kGatewayPassword + "@");
}

TEST(GatewayCredentials, AuthorizesOnlyKannelsBasicHeader) {
  const auto credentials = GatewayCredentials::parse(fragment(kPostUrl));
  // base64("kannel:fedcba9876543210fedc")
  EXPECT_TRUE(credentials.authorizes("Basic a2FubmVsOmZlZGNiYTk4NzY1NDMyMTBmZWRj"));
  EXPECT_FALSE(credentials.authorizes("Basic a2FubmVsOmZlZGNiYTk4NzY1NDMyMTBmZWRk"));
  // The scheme's case is HTTP's to ignore (RFC 9110 11.1); the credentials' is not.
  EXPECT_TRUE(credentials.authorizes("basic a2FubmVsOmZlZGNiYTk4NzY1NDMyMTBmZWRj"));
  EXPECT_FALSE(credentials.authorizes("Basic A2FubmVsOmZlZGNiYTk4NzY1NDMyMTBmZWRj"));
  EXPECT_FALSE(credentials.authorizes("Basic a2FubmVsOmZlZGNiYTk4NzY1NDMyMTBmZWRj "));
  EXPECT_FALSE(credentials.authorizes(""));
  EXPECT_FALSE(credentials.authorizes("Bearer " + kGatewayPassword));
}

TEST(GatewayCredentials, ErrorsNameTheFaultNeverTheSecret) {
  const auto rejected = [](const std::string& text, const std::string& what) {
    try {
      GatewayCredentials::parse(text);
      ADD_FAILURE() << "accepted: " << text;
    } catch (const std::runtime_error& e) {
      EXPECT_THAT(e.what(), HasSubstr(what));
      EXPECT_THAT(e.what(), Not(HasSubstr("0123456789")));
      EXPECT_THAT(e.what(), Not(HasSubstr("fedcba")));
    }
  };
  rejected(fragment("http://127.0.0.1:8080/v1/sms/inbound?from=%p"), "no user:password@");
  rejected(fragment("http://kannel@127.0.0.1:8080/v1/sms/inbound"), "no :password");
  rejected(fragment("http://kannel:short@127.0.0.1:8080/"), "shorter than 16");
  rejected(fragment("http://kannel:" + kGatewayPassword + "%21@127.0.0.1/"), "characters other");
  rejected("group = sms-service\npost-url = \"" + kPostUrl + "\"\n", "no \"group = sendsms-user\"");
  rejected("username = x\n", "before any \"group = ...\"");
  std::string no_password = fragment(kPostUrl);
  no_password.replace(no_password.find("password = "), 11, "passwd = ");
  rejected(no_password, "has no \"password\"");
}

TEST(SendsmsRequest, CarriesEveryFieldPercentEncodedAndUcs2WhenNeeded) {
  const auto credentials = GatewayCredentials::parse(fragment(kPostUrl));
  OutboundSms sms{"+13235550123", "RAID: 1st & Soto", "http://k:p@h/dlr?m=a1&s=%d", kDlrAll};
  const std::string gsm = sendsms_target(credentials, {"5550000", ""}, sms);
  EXPECT_EQ(gsm, "/cgi-bin/sendsms?username=puente&password=" + kSendsmsPassword +
                     "&from=5550000&to=%2B13235550123&text=RAID%3A%201st%20%26%20Soto"
                     "&charset=UTF-8&dlr-mask=31&dlr-url=http%3A%2F%2Fk%3Ap%40h%2Fdlr%3Fm%3Da1%26s"
                     "%3D%25d");
  sms.text = "Allí";
  sms.dlr_url.clear();
  const std::string ucs2 = sendsms_target(credentials, {"5550000", "modem"}, sms);
  EXPECT_THAT(ucs2, HasSubstr("&text=All%C3%AD&charset=UTF-8&coding=2&smsc=modem"));
  EXPECT_THAT(ucs2, Not(HasSubstr("dlr-")));
}

TEST(SendsmsResult, KannelsAnswersTyped) {
  EXPECT_EQ(result_of_answer(202, "0: Accepted for delivery").outcome, SendsmsOutcome::accepted);
  EXPECT_EQ(result_of_answer(202, "3: Queued for later delivery").outcome, SendsmsOutcome::queued);
  EXPECT_EQ(result_of_answer(403, "Authorization failed for sendsms").outcome,
            SendsmsOutcome::refused);
  EXPECT_EQ(result_of_answer(400, "Sender missing and no global set, rejected").outcome,
            SendsmsOutcome::refused);
  EXPECT_EQ(result_of_answer(503, "Temporal failure, try again later.").outcome,
            SendsmsOutcome::gateway_down);
  EXPECT_EQ(result_of_answer(200, "").outcome, SendsmsOutcome::refused);
  // A detail never carries a number, even if a gateway echoed one.
  EXPECT_THAT(result_of_answer(400, "bad to +13235550123").detail, Not(HasSubstr("3235550123")));
}

class SmsCallbacks : public ::testing::Test {
 protected:
  core::Roster roster_ = core::Roster::from_toml(
      "[[responder]]\nid = \"vol-ana\"\nroles = [\"volunteer\"]\n"
      "phone = \"+13235550123\"\nchannels = [\"sms\"]\n");
  core::ResponderPhones phones_{roster_, core::CallerKey(std::string(32, 'k'))};
};

TEST_F(SmsCallbacks, ADeliveryReportKeepsTheNumbersHashOnly) {
  const auto parsed = parse_delivery_report(
      "/v1/sms/dlr?m=al-7f3a&s=1&a=id%3A42+stat%3ADELIVRD&p=%2B13235550123&t=1796516635", phones_);
  ASSERT_TRUE(parsed.report) << parsed.error;
  EXPECT_EQ(parsed.report->message_id, "al-7f3a");
  EXPECT_EQ(parsed.report->status, DeliveryStatus::delivered);
  EXPECT_TRUE(is_final(parsed.report->status));
  EXPECT_EQ(parsed.report->phone_hash, phones_.hash_of(*roster_.find("vol-ana")));
  EXPECT_EQ(parsed.report->at_unix, 1796516635);
  EXPECT_EQ(parsed.report->smsc_answer, "id:42 stat:DELIVRD");

  const auto ack = parse_delivery_report("/v1/sms/dlr?m=al-7f3a&s=8&a=ACK%2F", phones_);
  ASSERT_TRUE(ack.report);
  EXPECT_EQ(ack.report->status, DeliveryStatus::smsc_accepted);
  EXPECT_FALSE(is_final(ack.report->status));
  EXPECT_TRUE(ack.report->phone_hash.empty());
}

TEST_F(SmsCallbacks, ABadDeliveryReportIsNamedWithoutItsValues) {
  for (const char* target :
       {"/v1/sms/dlr?s=1", "/v1/sms/dlr?m=a/b&s=1", "/v1/sms/dlr?m=a&s=3", "/v1/sms/dlr?m=a&s=one",
        "/v1/sms/dlr?m=a&s=1&p=caller", "/v1/sms/dlr?m=a&s=1&t=-4", "/v1/sms/dlr?m=a&m=b&s=1",
        "not a target"}) {
    const auto parsed = parse_delivery_report(target, phones_);
    EXPECT_FALSE(parsed.report) << target;
    EXPECT_FALSE(parsed.error.empty()) << target;
  }
}

TEST_F(SmsCallbacks, TheDlrUrlCarriesKannelsCredentialsAndPlaceholders) {
  const auto credentials = GatewayCredentials::parse(fragment(kPostUrl));
  EXPECT_EQ(delivery_report_url("http://127.0.0.1:8080/v1/sms/dlr", credentials, "al-7f3a"),
            "http://kannel:" + kGatewayPassword +
                "@127.0.0.1:8080/v1/sms/dlr?m=al-7f3a&s=%d&a=%A&p=%p&t=%T");
}

TEST_F(SmsCallbacks, AnInboundTextInUtf8OrUtf16) {
  const auto utf8 = parse_inbound_sms(
      "/v1/sms/inbound?from=%2B13235550123&to=5550000&charset=UTF-8&time=1796516623&id=ab-12",
      "text/plain; charset=\"UTF-8\"", "Allí B", phones_);
  ASSERT_TRUE(utf8.sms) << utf8.error;
  EXPECT_EQ(utf8.sms->from_hash, phones_.hash_of(*roster_.find("vol-ana")));
  EXPECT_EQ(utf8.sms->text, "Allí B");
  EXPECT_EQ(utf8.sms->gateway_id, "ab-12");
  EXPECT_EQ(utf8.sms->at_unix, 1796516623);

  const auto ucs2 = parse_inbound_sms(
      "/v1/sms/inbound?from=%2B13235550123&coding=2&charset=UTF-16BE",
      "text/plain; charset=\"UTF-16BE\"", std::string("\0A\0l\0l\0\xed", 8), phones_);
  ASSERT_TRUE(ucs2.sms) << ucs2.error;
  EXPECT_EQ(ucs2.sms->text, "Allí");

  // A get-url service: the text in the query.
  const auto get =
      parse_inbound_sms("/v1/sms/inbound?from=13235550123&text=voy+B", "", "", phones_);
  ASSERT_TRUE(get.sms) << get.error;
  EXPECT_EQ(get.sms->text, "voy B");
}

TEST_F(SmsCallbacks, AnUnknownSenderStillParsesToAHashNoResponderHolds) {
  const auto parsed = parse_inbound_sms("/v1/sms/inbound?from=%2B13235550199", "", "2", phones_);
  ASSERT_TRUE(parsed.sms);
  EXPECT_EQ(phones_.by_hash(parsed.sms->from_hash), nullptr);
}

TEST_F(SmsCallbacks, ABadInboundTextIsRefused) {
  EXPECT_FALSE(parse_inbound_sms("/v1/sms/inbound?to=5550000", "", "2", phones_).sms);
  EXPECT_FALSE(parse_inbound_sms("/v1/sms/inbound?from=caller", "", "2", phones_).sms);
  EXPECT_FALSE(parse_inbound_sms("/v1/sms/inbound?from=%2B13235550123",
                                 "text/plain; charset=KOI8-R", "2", phones_)
                   .sms);
  EXPECT_FALSE(parse_inbound_sms("/v1/sms/inbound?from=%2B13235550123", "",
                                 std::string(kMaxInboundBytes + 1, 'a'), phones_)
                   .sms);
  const auto bad_time =
      parse_inbound_sms("/v1/sms/inbound?from=%2B13235550123&time=soon", "", "2", phones_);
  EXPECT_FALSE(bad_time.sms);
  EXPECT_THAT(bad_time.error, HasSubstr("time"));
  EXPECT_THAT(bad_time.error, Not(HasSubstr("soon")));
}

}  // namespace
}  // namespace puente::sms
