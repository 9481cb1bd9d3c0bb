// A text message from its alerts: one alert with its code and reply line, a bundle under
// letters that keeps every letter and code when bodies are cut, the incident's short code, and
// the send rate as whole texts per window.

#include "core/sms_text.hpp"

#include <gtest/gtest.h>

namespace puente::core {
namespace {

TEST(SmsText, OneAlertIsItsBodyCodeAndReply) {
  const auto text = compose_alert_sms({{"K7QX", "UNVERIFIED Raid: Boyle Heights, 9:40 PM."}},
                                      "Reply 1 on my way", "Reply 1A ...");
  ASSERT_TRUE(text);
  EXPECT_EQ(text->text, "UNVERIFIED Raid: Boyle Heights, 9:40 PM.\nK7QX Reply 1 on my way");
  EXPECT_FALSE(text->cut);
}

TEST(SmsText, ABundleLettersEachAlertAndKeepsEveryCodeWhenCut) {
  const std::string long_body(40, 'x');
  std::vector<SmsAlertPart> parts;
  for (const char* code : {"AAAA", "BBBB", "CCCC"})
    parts.push_back({code,
                     "CONFIRMED Raid: Boyle Heights, 1st St & Soto, 9:40 PM. Go now if you "
                     "can, bring water and a phone charger " +
                         long_body});
  const auto text = compose_alert_sms(parts, "Reply 1", "Reply 1A, 2A, 3A");
  ASSERT_TRUE(text);
  EXPECT_LE(text->length.segments, 2u);
  EXPECT_TRUE(text->cut);
  EXPECT_EQ(text->text.substr(0, 13), "A) AAAA CONFI") << text->text;
  EXPECT_NE(text->text.find("\nB) BBBB CONFI"), std::string::npos) << text->text;
  EXPECT_NE(text->text.find("\nC) CCCC CONFI"), std::string::npos) << text->text;
  EXPECT_TRUE(text->text.ends_with("\nReply 1A, 2A, 3A")) << text->text;
  EXPECT_NE(text->text.find("...\n"), std::string::npos) << text->text;
}

TEST(SmsText, ABundleTooBigForItsLettersIsRefused) {
  std::vector<SmsAlertPart> parts(20, {"ABCD", "x"});
  EXPECT_FALSE(compose_alert_sms(parts, "r", std::string(200, 'r')));
}

TEST(SmsText, AnIncidentsCodeIsFourUnambiguousCharactersAndStable) {
  const auto code = incident_code("inc-0123456789abcdef");
  EXPECT_EQ(code.size(), 4u);
  EXPECT_EQ(code.find_first_of("01IO"), std::string::npos) << code;
  EXPECT_EQ(code, incident_code("inc-0123456789abcdef"));
  EXPECT_NE(code, incident_code("inc-0123456789abcdee"));
}

TEST(SmsText, TheSendRateIsWholeTextsPerWindow) {
  EXPECT_EQ(sms_rate_window(5).seconds, 1);
  EXPECT_EQ(sms_rate_window(5).texts, 5);
  EXPECT_EQ(sms_rate_window(2.5).seconds, 2);
  EXPECT_EQ(sms_rate_window(2.5).texts, 5);
  EXPECT_EQ(sms_rate_window(0.2).seconds, 5);
  EXPECT_EQ(sms_rate_window(0.2).texts, 1);
  EXPECT_EQ(sms_rate_window(0.1).seconds, 10);
}

}  // namespace
}  // namespace puente::core
