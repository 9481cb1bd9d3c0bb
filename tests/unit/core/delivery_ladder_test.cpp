// Delivery ladder: which channel goes out when for a recipient who has not answered, the
// defaults, the [delivery] tables of the node config, and a message naming the option for
// every bad value.

#include "core/delivery_ladder.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace puente::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::ThrowsMessage;
using namespace std::chrono_literals;

RecipientProgress with_phone(bool socket_took_it) {
  RecipientProgress progress;
  progress.socket_took_it = socket_took_it;
  progress.reachable_by = {Channel::push};
  return progress;
}

void expect_rung_rejected(const std::string& toml, const std::string& message) {
  EXPECT_THAT([&] { DeliveryLadders::from_toml(toml); },
              ThrowsMessage<std::runtime_error>(HasSubstr(message)))
      << toml;
}

TEST(DeliveryLadder, DefaultsPushAtOnceWithoutASocketAndLaterWithOneThenText) {
  const DeliveryLadders ladders;
  EXPECT_THAT(ladders.ladder(v1::VERIFY),
              ElementsAre(Rung{Channel::push, 15s, 0s}, Rung{Channel::sms, 60s, 60s}));
  for (auto type : {v1::DISPATCH, v1::ESCALATE})
    EXPECT_THAT(ladders.ladder(type),
                ElementsAre(Rung{Channel::push, 15s, 0s}, Rung{Channel::sms, 60s, 0s}))
        << type;
  for (auto type : {v1::UPDATE, v1::DEBUNK, v1::STAND_DOWN})
    EXPECT_THAT(ladders.ladder(type),
                ElementsAre(Rung{Channel::push, 60s, 0s}, Rung{Channel::sms, 120s, 60s}))
        << type;
  EXPECT_THAT(ladders.ladder(v1::ALERT_TYPE_UNSPECIFIED), IsEmpty());
}

TEST(DeliveryLadder, ATextGoesWhenNeitherSocketNorPushGotAnAnswerInAMinute) {
  const DeliveryLadders ladders;
  RecipientProgress both;
  both.socket_took_it = true;
  both.reachable_by = {Channel::push, Channel::sms};
  both.tried = {Channel::push};
  auto early = ladders.next(v1::VERIFY, both, 59s);
  EXPECT_THAT(early.now, IsEmpty());
  EXPECT_EQ(early.look_again_at, 60s);
  EXPECT_THAT(ladders.next(v1::VERIFY, both, 60s).now, ElementsAre(Channel::sms));

  RecipientProgress text_only;  // a basic phone: no socket, no push
  text_only.reachable_by = {Channel::sms};
  EXPECT_THAT(ladders.next(v1::DISPATCH, text_only, 0s).now, ElementsAre(Channel::sms));
  EXPECT_FALSE(ladders.unreachable(v1::DISPATCH, text_only));
}

TEST(DeliveryLadder, NoSocketTookItPushesAtOnce) {
  const DeliveryLadders ladders;
  auto decision = ladders.next(v1::VERIFY, with_phone(false), 0s);
  EXPECT_THAT(decision.now, ElementsAre(Channel::push));
  EXPECT_FALSE(decision.look_again_at);
}

TEST(DeliveryLadder, ASocketTookItPushWaitsForItsDelayThenGoes) {
  const DeliveryLadders ladders;
  auto early = ladders.next(v1::DISPATCH, with_phone(true), 14s);
  EXPECT_THAT(early.now, IsEmpty());
  EXPECT_EQ(early.look_again_at, 15s);
  auto due = ladders.next(v1::DISPATCH, with_phone(true), 15s);
  EXPECT_THAT(due.now, ElementsAre(Channel::push));
}

TEST(DeliveryLadder, AnAnswerOrARungAlreadyTakenStopsTheClimb) {
  const DeliveryLadders ladders;
  auto answered = with_phone(false);
  answered.answered = true;
  auto decision = ladders.next(v1::VERIFY, answered, 100s);
  EXPECT_THAT(decision.now, IsEmpty());
  EXPECT_FALSE(decision.look_again_at);

  auto pushed = with_phone(false);
  pushed.tried = {Channel::push};
  decision = ladders.next(v1::VERIFY, pushed, 100s);
  EXPECT_THAT(decision.now, IsEmpty());
  EXPECT_FALSE(decision.look_again_at);
}

TEST(DeliveryLadder, AChannelTheyNeverRegisteredIsNotTriedAndLeavesThemUnreachable) {
  const DeliveryLadders ladders;
  RecipientProgress no_phone;
  EXPECT_THAT(ladders.next(v1::VERIFY, no_phone, 100s).now, IsEmpty());
  EXPECT_TRUE(ladders.unreachable(v1::VERIFY, no_phone));
  EXPECT_FALSE(ladders.unreachable(v1::VERIFY, with_phone(false)));
  no_phone.socket_took_it = true;
  EXPECT_FALSE(ladders.unreachable(v1::VERIFY, no_phone));
}

TEST(DeliveryLadder, TheConfigReplacesATypesLadderAndKeepsTheOthers) {
  const auto ladders = DeliveryLadders::from_toml(
      "[node]\nid = \"n\"\n"
      "[delivery.VERIFY]\npush = { after_seconds = 30, without_socket_after_seconds = 5 }\n"
      "[delivery.UPDATE]\n");
  EXPECT_THAT(ladders.ladder(v1::VERIFY), ElementsAre(Rung{Channel::push, 30s, 5s}));
  EXPECT_THAT(ladders.ladder(v1::UPDATE), IsEmpty()) << "an empty table leaves the socket alone";
  EXPECT_THAT(ladders.ladder(v1::DISPATCH),
              ElementsAre(Rung{Channel::push, 15s, 0s}, Rung{Channel::sms, 60s, 0s}));

  auto decision = ladders.next(v1::VERIFY, with_phone(false), 4s);
  EXPECT_THAT(decision.now, IsEmpty());
  EXPECT_EQ(decision.look_again_at, 5s);
  EXPECT_TRUE(ladders.unreachable(v1::UPDATE, with_phone(false)));
}

TEST(DeliveryLadder, WithoutSocketDefaultsToAtOnce) {
  const auto ladders =
      DeliveryLadders::from_toml("[delivery.STAND_DOWN]\npush = { after_seconds = 120 }\n");
  EXPECT_THAT(ladders.ladder(v1::STAND_DOWN), ElementsAre(Rung{Channel::push, 120s, 0s}));
}

TEST(DeliveryLadder, TheExampleConfigWritesOutTheDefaults) {
  std::ifstream file(std::filesystem::path(PUENTE_SOURCE_DIR) / "config/puented.toml");
  std::stringstream text;
  text << file.rdbuf();
  const auto example = DeliveryLadders::from_toml(text.str());
  const DeliveryLadders defaults;
  for (auto type : {v1::VERIFY, v1::DISPATCH, v1::ESCALATE, v1::UPDATE, v1::DEBUNK, v1::STAND_DOWN})
    EXPECT_EQ(example.ladder(type), defaults.ladder(type)) << v1::AlertType_Name(type);
}

TEST(DeliveryLadder, BadValuesAreRefusedNamingTheOption) {
  expect_rung_rejected("[delivery.RAID]\n", "delivery.RAID is not an alert type");
  expect_rung_rejected("[delivery.ALERT_TYPE_UNSPECIFIED]\n", "is not an alert type");
  expect_rung_rejected("[delivery.VERIFY]\npager = { after_seconds = 1 }\n",
                       "delivery.VERIFY.pager is not an option");
  expect_rung_rejected("[delivery.VERIFY]\npush = { without_socket_after_seconds = 0 }\n",
                       "delivery.VERIFY.push.after_seconds is missing");
  expect_rung_rejected("[delivery.VERIFY]\npush = { after_seconds = 3601 }\n",
                       "delivery.VERIFY.push.after_seconds must be <= 3600");
  expect_rung_rejected("[delivery.VERIFY]\npush = { after_seconds = -1 }\n", "must be >= 0");
  expect_rung_rejected("[delivery.VERIFY]\npush = { after_seconds = \"soon\" }\n",
                       "must be an integer");
  expect_rung_rejected("[delivery.VERIFY]\npush = { after_seconds = 10, tries = 3 }\n",
                       "delivery.VERIFY.push.tries is not an option");
  expect_rung_rejected(
      "[delivery.VERIFY]\npush = { after_seconds = 5, without_socket_after_seconds = 9 }\n",
      "without_socket_after_seconds must be <= after_seconds");
  expect_rung_rejected("[delivery]\nVERIFY = 3\n", "delivery.VERIFY must be a table");
  expect_rung_rejected("delivery = 1\n", "delivery must be a table");
  expect_rung_rejected("[delivery.VERIFY\n", "invalid TOML at line 1");
}

TEST(DeliveryLadder, SocketGraceIsReadCheckedAndDefaultsToASecond) {
  EXPECT_EQ(DeliveryLadders().socket_grace(), std::chrono::milliseconds(1000));
  EXPECT_EQ(DeliveryLadders::from_toml("[delivery]\nsocket_grace_ms = 300\n").socket_grace(),
            std::chrono::milliseconds(300));
  EXPECT_THROW(DeliveryLadders::from_toml("[delivery]\nsocket_grace_ms = -1\n"),
               std::runtime_error);
  EXPECT_THROW(DeliveryLadders::from_toml("[delivery]\nsocket_grace_ms = \"soon\"\n"),
               std::runtime_error);
}

}  // namespace
}  // namespace puente::core
