// The silent call for help (core/help_call.hpp): who it reaches (dispatchers and the
// neighborhood's on-call attorneys, never other observers), the duress word and help reply as a
// text reply reads them, who the stand-by goes to, and which on-scene alerts a responder sees.

#include "core/help_call.hpp"

#include "core/bearer_token.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace puente::core {
namespace {

using ::testing::ElementsAre;

std::string rostered(const std::string& id, const std::string& role, const std::string& hood) {
  return "[[responder]]\nid = \"" + id + "\"\nroles = [\"" + role + "\"]\nneighborhoods = [\"" +
         hood + "\"]\ntoken_sha256 = \"" + sha256_hex(id) + "\"\n";
}

const Roster& roster() {
  static const Roster r = Roster::from_toml(rostered("disp", "dispatcher", "boyle-heights") +
                                            rostered("att-bh", "attorney", "boyle-heights") +
                                            rostered("att-dt", "attorney", "downtown") +
                                            rostered("obs-a", "legal_observer", "boyle-heights") +
                                            rostered("obs-b", "legal_observer", "boyle-heights"));
  return r;
}

const TimeZone& zone() {
  static const TimeZone z = TimeZone::load("America/Los_Angeles");
  return z;
}

TEST(HelpCall, ReachesDispatchersAndTheNeighborhoodsAttorneysOnly) {
  auto to = help_call_recipients(roster(), "boyle-heights", std::chrono::system_clock::now(),
                                 zone(), {}, true, "obs-a");
  EXPECT_THAT(to, ElementsAre("att-bh", "disp"));
}

TEST(HelpCall, AFirstMissedCheckInReachesTheDispatchersOnly) {
  auto to = help_call_recipients(roster(), "boyle-heights", std::chrono::system_clock::now(),
                                 zone(), {}, false, "obs-a");
  EXPECT_THAT(to, ElementsAre("disp"));
}

TEST(HelpCall, DuressWordAsANoteOrAtTheEndOfAReply) {
  EXPECT_TRUE(is_duress_note("Lima", "lima"));
  EXPECT_TRUE(is_duress_note(" LIMA! ", "lima"));
  EXPECT_FALSE(is_duress_note("lima please", "lima"));
  EXPECT_FALSE(is_duress_note("", ""));  // off
  EXPECT_EQ(without_duress_word("2 lima", "lima"), "2");
  EXPECT_EQ(without_duress_word("Estoy allí LIMA", "lima"), "estoy alli");
  EXPECT_EQ(without_duress_word("2", "lima"), std::nullopt);
  EXPECT_EQ(without_duress_word("2 lima", ""), std::nullopt);
  EXPECT_TRUE(is_help_reply(" 9 ", "9"));
  EXPECT_FALSE(is_help_reply("9 B", "9"));
}

TEST(HelpCall, StandByGoesToThoseAlertedWhoAreNotThereOnceTheQuorumIs) {
  v1::Incident incident;
  auto* dispatch = incident.add_alerts();
  dispatch->set_type(v1::DISPATCH);
  for (auto id : {"obs-a", "obs-b", "att-bh"}) dispatch->add_recipients(id);
  Quorum quorum{1, Role::legal_observer, v1::ON_SCENE};
  std::vector<AckRecord> acks;
  EXPECT_EQ(stand_by_recipients(quorum, acks, incident), std::nullopt);
  acks.push_back({"obs-a", {Role::legal_observer}, v1::ON_SCENE, {}});
  auto to = stand_by_recipients(quorum, acks, incident);
  ASSERT_TRUE(to);
  EXPECT_THAT(*to, ElementsAre("att-bh", "obs-b"));
}

TEST(HelpCall, AnOnSceneAlertIsSeenByItsRecipientsOnly) {
  v1::Alert help;
  help.set_type(v1::HELP_CALL);
  help.add_recipients("disp");
  EXPECT_TRUE(sees_alert(help, "disp"));
  EXPECT_FALSE(sees_alert(help, "obs-b"));
  v1::Alert dispatch;
  dispatch.set_type(v1::DISPATCH);
  EXPECT_TRUE(sees_alert(dispatch, "obs-b"));
}

TEST(HelpCall, TextsInBothLanguages) {
  EXPECT_EQ(on_scene_text(v1::CHECK_IN, "en", "", ""),
            "Are you OK? Answer: I'm OK, or I'm out, safe.");
  EXPECT_NE(on_scene_text(v1::CHECK_IN, "es-MX", "", "").find("Estás bien"), std::string::npos);
  EXPECT_NE(on_scene_text(v1::HELP_CALL, "es", "Ana", "Boyle Heights").find("Ana"),
            std::string::npos);
  EXPECT_NE(on_scene_text(v1::CHECK_IN_MISSED, "en", "Ana", "Boyle Heights", 2).find("two"),
            std::string::npos);
}

}  // namespace
}  // namespace puente::core
