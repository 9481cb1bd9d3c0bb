// SMS segment counting (GSM-7 with its extension table, UCS-2) and the cut that makes an
// alert's text fit two segments with its incident code and reply instructions kept.

#include "core/sms_segments.hpp"

#include <gtest/gtest.h>

#include <string>

namespace puente::core {
namespace {

TEST(SmsSegments, PlainTextIsGsm7At160And153) {
  EXPECT_EQ(sms_length("").segments, 0u);
  const auto one = sms_length(std::string(160, 'a'));
  EXPECT_EQ(one.encoding, SmsEncoding::gsm7);
  EXPECT_EQ(one.units, 160u);
  EXPECT_EQ(one.segments, 1u);
  EXPECT_EQ(sms_length(std::string(161, 'a')).segments, 2u);
  EXPECT_EQ(sms_length(std::string(306, 'a')).segments, 2u);  // 2 x 153
  EXPECT_EQ(sms_length(std::string(307, 'a')).segments, 3u);
}

TEST(SmsSegments, DefaultAlphabetAccentsStayGsm7) {
  // é, è, ñ, Ñ, ü, ö, à, ¿, ¡, £, @, $, _ and Greek capitals are in the default alphabet.
  const auto length = sms_length("¿Qué? ¡Señor Müller à 5£ @ $ _ ΔΩ!");
  EXPECT_EQ(length.encoding, SmsEncoding::gsm7);
  EXPECT_EQ(length.units, 34u);
}

TEST(SmsSegments, ExtensionTableCharactersTakeTwoSeptets) {
  for (const char* c : {"^", "{", "}", "\\", "[", "]", "~", "|", "€", "\f"}) {
    const auto length = sms_length(c);
    EXPECT_EQ(length.encoding, SmsEncoding::gsm7) << c;
    EXPECT_EQ(length.units, 2u) << c;
  }
  // 159 plain + one extension character = 161 septets: two segments, not one.
  EXPECT_EQ(sms_length(std::string(158, 'a') + "€").segments, 1u);
  EXPECT_EQ(sms_length(std::string(159, 'a') + "€").segments, 2u);
  // An escape pair is not split: 152 + 2 does not fit a 153-septet part.
  EXPECT_EQ(sms_length(std::string(152, 'a') + "€" + std::string(152, 'a')).units, 306u);
  EXPECT_EQ(sms_length(std::string(152, 'a') + "€" + std::string(152, 'a')).segments, 3u);
}

TEST(SmsSegments, SpanishAccentsOutsideGsm7ForceUcs2At70And67) {
  for (const char* c : {"á", "í", "ó", "ú", "Á", "`", "’", "ç"}) {
    EXPECT_EQ(sms_length(c).encoding, SmsEncoding::ucs2) << c;
  }
  const auto one = sms_length("Allí" + std::string(66, 'a'));
  EXPECT_EQ(one.encoding, SmsEncoding::ucs2);
  EXPECT_EQ(one.units, 70u);
  EXPECT_EQ(one.segments, 1u);
  EXPECT_EQ(sms_length("Allí" + std::string(67, 'a')).segments, 2u);
  EXPECT_EQ(sms_length("Allí" + std::string(130, 'a')).segments, 2u);  // 134 = 2 x 67
  EXPECT_EQ(sms_length("Allí" + std::string(131, 'a')).segments, 3u);
  // In UCS-2 the extension characters are one unit like any other.
  EXPECT_EQ(sms_length("í€").units, 2u);
}

TEST(SmsSegments, EmojiTakeASurrogatePairNeverSplit) {
  const auto length = sms_length("🚨");
  EXPECT_EQ(length.encoding, SmsEncoding::ucs2);
  EXPECT_EQ(length.units, 2u);
  EXPECT_EQ(sms_length(std::string(69, 'a') + "🚨").segments, 2u);  // 71 units
  // 66 + pair + 65 + pair = 134 units, but the first pair cannot straddle units 67 and 68.
  EXPECT_EQ(sms_length(std::string(66, 'a') + "🚨" + std::string(64, 'a') + "🚨").segments, 3u);
}

TEST(SmsSegments, InvalidUtf8CountsAsUcs2) {
  EXPECT_EQ(sms_length("abc\xff").encoding, SmsEncoding::ucs2);
}

constexpr const char* kReply = "Reply 1 on my way, 2 on scene, 3 can't";

TEST(SmsSegments, AShortAlertIsSentWhole) {
  const auto fitted = fit_alert_sms("RAID reported: Boyle Heights, 9:40 PM.", "K7Q", kReply);
  ASSERT_TRUE(fitted);
  EXPECT_FALSE(fitted->cut);
  EXPECT_EQ(fitted->text, "RAID reported: Boyle Heights, 9:40 PM.\nK7Q " + std::string(kReply));
  EXPECT_EQ(fitted->length.segments, 1u);
}

TEST(SmsSegments, ALongAlertIsCutAtAWordKeepingCodeAndReply) {
  std::string body = "RAID reported:";
  while (body.size() < 400) body += " Cesar Chavez Ave & Soto St";
  const auto fitted = fit_alert_sms(body, "K7Q", kReply);
  ASSERT_TRUE(fitted);
  EXPECT_TRUE(fitted->cut);
  EXPECT_EQ(fitted->length.encoding, SmsEncoding::gsm7);
  EXPECT_EQ(fitted->length.segments, 2u);
  const std::string tail = "...\nK7Q " + std::string(kReply);
  ASSERT_TRUE(fitted->text.ends_with(tail)) << fitted->text;
  const std::string kept = fitted->text.substr(0, fitted->text.size() - tail.size());
  // Cut at a word: what is kept is a prefix of the body ending at a word's end.
  EXPECT_TRUE(body.starts_with(kept));
  EXPECT_EQ(body[kept.size()], ' ');
  // And as long as it can be: one more word would not fit.
  const auto next_space = body.find(' ', kept.size() + 1);
  EXPECT_GT(sms_length(body.substr(0, next_space) + tail).segments, 2u);
}

TEST(SmsSegments, ASpanishAlertIsCutToTwoUcs2Segments) {
  std::string body = "REDADA reportada en Boyle Heights:";
  while (body.size() < 300) body += " César Chávez y Soto,";
  const auto fitted =
      fit_alert_sms(body, "K7Q", "Responda 1 voy, 2 allí, 3 no puedo", /*max_segments=*/2);
  ASSERT_TRUE(fitted);
  EXPECT_TRUE(fitted->cut);
  EXPECT_EQ(fitted->length.encoding, SmsEncoding::ucs2);
  EXPECT_LE(fitted->length.units, 134u);
  EXPECT_TRUE(fitted->text.ends_with("...\nK7Q Responda 1 voy, 2 allí, 3 no puedo"));
  // The cut drops the comma that ended the last word kept.
  EXPECT_EQ(fitted->text.find(",..."), std::string::npos);
}

TEST(SmsSegments, OneLongWordIsCutBetweenCharacters) {
  const std::string body(500, 'x');
  const auto fitted = fit_alert_sms(body, "K7Q", kReply, 1);
  ASSERT_TRUE(fitted);
  EXPECT_EQ(fitted->length.segments, 1u);
  EXPECT_EQ(fitted->length.units, 160u);
}

TEST(SmsSegments, NoRoomForTheCodeAndReplyIsNoText) {
  EXPECT_FALSE(fit_alert_sms("RAID", "K7Q", std::string(200, 'r'), 1));
}

}  // namespace
}  // namespace puente::core
