// The texts puented answers a reply with: each fits one GSM-7 segment (Kannel texts back one
// message, deploy/kannel max-messages = 1), in the responder's language.

#include "core/sms_answers.hpp"
#include "core/sms_segments.hpp"

#include <gtest/gtest.h>

namespace puente::core {
namespace {

constexpr SmsAnswer kAll[] = {
    SmsAnswer::ack_recorded, SmsAnswer::no_alert,    SmsAnswer::alert_closed,
    SmsAnswer::available,    SmsAnswer::unavailable, SmsAnswer::stopped,
    SmsAnswer::started,      SmsAnswer::help,        SmsAnswer::try_again};

TEST(SmsAnswers, EveryAnswerFitsOneGsm7Segment) {
  SmsAnswerFacts longest{v1::ON_SCENE, 'Z', 24};
  for (const auto language : {"en", "es"})
    for (const auto answer : kAll) {
      const std::string text = sms_answer(answer, language, longest);
      const auto length = sms_length(text);
      EXPECT_FALSE(text.empty());
      EXPECT_EQ(length.encoding, SmsEncoding::gsm7) << text;
      EXPECT_EQ(length.segments, 1u) << text;
    }
}

TEST(SmsAnswers, InTheRespondersLanguage) {
  EXPECT_EQ(sms_answer(SmsAnswer::ack_recorded, "es", {v1::ON_SCENE, std::nullopt, 0}),
            "Puente: anotado ESTOY ALLI. Gracias.");
  EXPECT_EQ(sms_answer(SmsAnswer::ack_recorded, "en", {v1::EN_ROUTE, 'B', 0}),
            "Puente: recorded ON MY WAY for B. Thank you.");
  EXPECT_NE(sms_answer(SmsAnswer::help, "es").find("ALTO"), std::string::npos);
  EXPECT_NE(sms_answer(SmsAnswer::help, "en").find("STOP"), std::string::npos);
  EXPECT_NE(sms_answer(SmsAnswer::available, "en", {v1::ACK_STATE_UNSPECIFIED, {}, 2}).find("2 h"),
            std::string::npos);
}

TEST(SmsAnswers, LanguageIsTheFirstEnglishOrSpanish) {
  EXPECT_EQ(sms_answer_language({"es-MX"}, "en"), "es");
  EXPECT_EQ(sms_answer_language({"pt-BR", "en"}, "es"), "en");
  EXPECT_EQ(sms_answer_language({"pt-BR"}, "es"), "es");
  EXPECT_EQ(sms_answer_language({}, "fr"), "en");
}

}  // namespace
}  // namespace puente::core
