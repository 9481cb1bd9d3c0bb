// Replies by text message in English and Spanish: acks, availability, stop and start, help,
// and the letter that names an alert of a bundle.

#include "core/sms_reply.hpp"

#include <gtest/gtest.h>

namespace puente::core {
namespace {

void expect_ack(const char* text, v1::AckState state, std::optional<char> letter = {}) {
  const auto reply = parse_sms_reply(text);
  EXPECT_EQ(reply.kind, SmsReplyKind::ack) << text;
  EXPECT_EQ(reply.state, state) << text;
  EXPECT_EQ(reply.alert_letter, letter) << text;
}

void expect_kind(const char* text, SmsReplyKind kind) {
  EXPECT_EQ(parse_sms_reply(text).kind, kind) << text << " read as " << to_string(kind);
}

TEST(SmsReply, DigitsAck) {
  expect_ack("1", v1::EN_ROUTE);
  expect_ack("2", v1::ON_SCENE);
  expect_ack("3", v1::DECLINED);
  expect_ack("  2.\n", v1::ON_SCENE);
}

TEST(SmsReply, SpanishWordsWithOrWithoutAccents) {
  for (const char* text : {"voy", "Voy", "VOY!", "ya voy", "En camino"})
    expect_ack(text, v1::EN_ROUTE);
  for (const char* text : {"allí", "alli", "ALLÍ", "Allí!", "aquí", "ahí", "llegué", "estoy allí"})
    expect_ack(text, v1::ON_SCENE);
  for (const char* text : {"no puedo", "No Puedo.", "NO  PUEDO", "no\tpuedo"})
    expect_ack(text, v1::DECLINED);
}

TEST(SmsReply, EnglishWords) {
  for (const char* text : {"on my way", "On My Way!", "omw", "OMW 🚗"})
    expect_ack(text, v1::EN_ROUTE);
  for (const char* text : {"on scene", "ON SCENE", "here", "I'm here"})
    expect_ack(text, v1::ON_SCENE);
  for (const char* text : {"can't", "cant", "CAN’T", "I can't", "cannot", "can not"})
    expect_ack(text, v1::DECLINED);
}

TEST(SmsReply, ABundleLetterBeforeOrAfterJoinedOrApart) {
  for (const char* text : {"1 B", "B1", "b1", "1b", "b 1", "voy B", "B voy", " 1  b "})
    expect_ack(text, v1::EN_ROUTE, 'B');
  expect_ack("2 A", v1::ON_SCENE, 'A');
  expect_ack("no puedo c", v1::DECLINED, 'C');
  expect_ack("Z3", v1::DECLINED, 'Z');
}

TEST(SmsReply, LettersThatAreNoBundleLetterOrTooManyAreUnknown) {
  expect_kind("1 I", SmsReplyKind::unknown);  // I and O are never bundle letters
  expect_kind("O2", SmsReplyKind::unknown);
  expect_kind("1 A B", SmsReplyKind::unknown);
  expect_kind("1 2", SmsReplyKind::unknown);
  expect_kind("on a way", SmsReplyKind::unknown);  // a letter inside the answer
  expect_kind("6", SmsReplyKind::unknown);         // 4 and 5 answer a check-in (below)
  expect_kind("B6", SmsReplyKind::unknown);
}

// The people on scene (docs/on-scene.md): "I'm OK" and "I'm out, safe" by text, either language.
TEST(SmsReply, CheckInAnswers) {
  for (const char* ok : {"4", "OK", "ok!", "Estoy bien", "BIEN", "I'm OK", "i am ok", "4 B"}) {
    const auto reply = parse_sms_reply(ok);
    EXPECT_EQ(reply.kind, SmsReplyKind::ack) << ok;
    EXPECT_EQ(reply.state, v1::ALL_OK) << ok;
  }
  for (const char* out : {"5", "Salí", "ya sali", "Salvo", "out safe", "I'm out"}) {
    const auto reply = parse_sms_reply(out);
    EXPECT_EQ(reply.kind, SmsReplyKind::ack) << out;
    EXPECT_EQ(reply.state, v1::OUT_SAFE) << out;
  }
}

TEST(SmsReply, BundleLettersSkipIAndO) {
  EXPECT_EQ(bundle_letter(0), 'A');
  EXPECT_EQ(bundle_letter(7), 'H');
  EXPECT_EQ(bundle_letter(8), 'J');
  EXPECT_EQ(bundle_letter(13), 'P');
  EXPECT_EQ(bundle_letter(23), 'Z');
  EXPECT_FALSE(bundle_letter(24));
  for (std::size_t i = 0; i < kMaxBundleLetters; ++i) EXPECT_EQ(bundle_index(*bundle_letter(i)), i);
  EXPECT_EQ(bundle_index('b'), 1u);
  EXPECT_FALSE(bundle_index('I'));
  EXPECT_FALSE(bundle_index('o'));
  EXPECT_FALSE(bundle_index('1'));
}

TEST(SmsReply, AvailableForHours) {
  for (const char* text : {"DISPONIBLE 2", "disponible 2", "Available 2", "available 2h",
                           "disponible 2 horas", "AVAILABLE 2 HOURS", "disponible 2hrs"}) {
    const auto reply = parse_sms_reply(text);
    EXPECT_EQ(reply.kind, SmsReplyKind::available) << text;
    EXPECT_EQ(reply.hours, 2) << text;
  }
  EXPECT_EQ(parse_sms_reply("disponible 24").hours, 24);
  const auto no_hours = parse_sms_reply("Disponible");
  EXPECT_EQ(no_hours.kind, SmsReplyKind::available);
  EXPECT_EQ(no_hours.hours, 0);
  expect_kind("disponible 0", SmsReplyKind::unknown);
  expect_kind("disponible 25", SmsReplyKind::unknown);
  expect_kind("disponible mañana", SmsReplyKind::unknown);
  expect_kind("available 2 days", SmsReplyKind::unknown);
  expect_kind("no disponible", SmsReplyKind::unavailable);
  expect_kind("Not available", SmsReplyKind::unavailable);
}

TEST(SmsReply, StopStartAndHelpWords) {
  for (const char* text : {"ALTO", "alto", "Alto.", "STOP", "stop", "Unsubscribe", "BAJA"})
    expect_kind(text, SmsReplyKind::stop);
  for (const char* text : {"START", "inicio", "Alta"}) expect_kind(text, SmsReplyKind::start);
  for (const char* text : {"AYUDA", "help", "Info?"}) expect_kind(text, SmsReplyKind::help);
  // Stop only as the whole message: a sentence that holds the word is not an opt-out.
  expect_kind("don't stop", SmsReplyKind::unknown);
}

TEST(SmsReply, AnythingElseIsUnknown) {
  for (const char* text : {"", "   ", "hola", "okay", "what?", "🚨", "voy voy", "1 on my way"})
    expect_kind(text, SmsReplyKind::unknown);
  expect_kind(std::string(kMaxReplyBytes + 1, '1').c_str(), SmsReplyKind::unknown);
}

TEST(SmsReply, FoldingDropsAccentsCaseAndPunctuation) {
  EXPECT_EQ(folded_reply("¡Allí!  YA"), "alli ya");
  EXPECT_EQ(folded_reply("Can’t"), "cant");
  EXPECT_EQ(folded_reply("ÑANDÚ ç"), "nandu c");
}

}  // namespace
}  // namespace puente::core
