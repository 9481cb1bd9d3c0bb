// An alert's text kept once (issue 22, store/stored_alert.hpp), on a real Redis: the incident's
// list holds `text` and not the same words again in `texts`, and every way an alert is read
// back (the incident, one alert alone for Web Push and SMS, a socket's replay, the live
// channel's "<offset> <Alert>", parsed whole or with its recipients apart for the hub) gives it
// whole, as it was made. An alert stored before, with its text twice, reads as it is.
#include "store/stored_alert.hpp"
#include "store/incident_store.hpp"
#include "store/tagged_alert.hpp"

#include "core/clock.hpp"
#include "opened_incident.hpp"
#include "redis_link.hpp"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <future>

namespace puente::store {
namespace {

using Clock = std::chrono::system_clock;

class StoredAlert : public test::StoreTest {
 protected:
  Keys keys{"test:"};
  IncidentStore store{link.connection(), keys};

  // al-1 as the alert writer makes it: `text` in the network's default language (Spanish
  // here), and each language its recipients read in `texts`.
  v1::Alert made = [] {
    auto alert = test::boyle_heights_alert("al-1", Clock::now(), {"obs-a", "obs-b"});
    alert.set_type(v1::VERIFY);
    alert.set_text("Redada en Boyle Heights");
    (*alert.mutable_texts())["es"] = "Redada en Boyle Heights";
    (*alert.mutable_texts())["en"] = "Raid in Boyle Heights";
    return alert;
  }();

  v1::Incident load() {
    std::promise<v1::Incident> got;
    store.load("inc-1", [&](Outcome, v1::Incident incident) { got.set_value(incident); });
    return got.get_future().get();
  }

  v1::Alert load_alert() {
    std::promise<v1::Alert> got;
    store.load_alert("inc-1", "al-1", [&](Outcome, v1::Alert alert) { got.set_value(alert); });
    return got.get_future().get();
  }

  std::vector<v1::Alert> replay() {
    std::promise<std::vector<v1::Alert>> got;
    store.replay("boyle-heights", "0-0", 10,
                 [&](Outcome, ReplayPage page) { got.set_value(page.alerts); });
    return got.get_future().get();
  }

  // The incident's list entry, "<offset> <Alert protobuf>", as the live channel carries it too.
  std::string kept() { return link.command({"LINDEX", keys.incident_alerts("inc-1"), "0"}).str; }

  // `alert` read back equals what was made, but for its offset.
  void expect_whole(v1::Alert alert, const char* how) {
    EXPECT_FALSE(alert.offset().empty()) << how;
    alert.clear_offset();
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(alert, made))
        << how << ": " << alert.ShortDebugString();
  }
};

TEST_F(StoredAlert, TheTextIsKeptOnceAndEveryReaderGetsTheAlertWhole) {
  ASSERT_EQ(test::open_incident_with(store, {made}, Clock::now()), Outcome::ok);

  const auto entry = kept();
  v1::Alert stored;
  ASSERT_TRUE(stored.ParseFromString(entry.substr(entry.find(' ') + 1)));
  EXPECT_EQ(stored.text(), "Redada en Boyle Heights");
  EXPECT_FALSE(stored.texts().contains("es")) << "the text is kept twice";
  EXPECT_EQ(stored.text_language(), "es");
  EXPECT_EQ(stored.texts().at("en"), "Raid in Boyle Heights");

  const auto incident = load();
  ASSERT_EQ(incident.alerts_size(), 1);
  expect_whole(incident.alerts(0), "the incident");
  expect_whole(load_alert(), "the alert alone");
  const auto replayed = replay();
  ASSERT_EQ(replayed.size(), 1u);
  expect_whole(replayed[0], "a replay");
  v1::Alert tagged;
  ASSERT_TRUE(parse_tagged_alert(entry, tagged));
  expect_whole(tagged, "the list's entry");
  // The live feed's read: the recipients taken from the bytes, the rest parsed.
  LiveAlert live;
  ASSERT_TRUE(parse_live_alert(entry, live));
  EXPECT_EQ(live.recipients, (std::vector<std::string_view>{"obs-a", "obs-b"}));
  for (const auto& id : live.recipients) live.alert.add_recipients(std::string(id));
  expect_whole(live.alert, "the live channel");
}

TEST_F(StoredAlert, AnAlertStoredWithItsTextTwiceReadsAsItIs) {
  ASSERT_EQ(test::open_incident_with(store, {}, Clock::now()), Outcome::ok);
  // As a node before issue 22 kept it.
  link.command(
      {"RPUSH", keys.incident_alerts("inc-1"), "1700000000000-0 " + made.SerializeAsString()});
  expect_whole(load().alerts(0), "the incident");
  expect_whole(load_alert(), "the alert alone");
}

TEST_F(StoredAlert, AnAlertWhoseTextIsInNoLanguageIsKeptAsItIs) {
  made.set_text("a dispatcher's own words");
  ASSERT_EQ(stored_alert(made), made.SerializeAsString());
  v1::Alert no_texts = made;
  no_texts.clear_texts();
  ASSERT_EQ(stored_alert(no_texts), no_texts.SerializeAsString());
}

// A map entry may lack its key (found by Fuzz.wire_fields): its language is "", which an empty
// text_language could not name, so such an entry stays in the bytes and reads back whole.
TEST_F(StoredAlert, ATextUnderAnEmptyLanguageIsKeptAsItIs) {
  made.clear_texts();
  (*made.mutable_texts())[""] = made.text();
  (*made.mutable_texts())["en"] = "Raid in Boyle Heights";
  const auto stored = stored_alert(made);
  EXPECT_EQ(stored, made.SerializeAsString());
  v1::Alert back;
  ASSERT_TRUE(back.ParseFromString(stored));
  restore_stored_alert(back);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(back, made))
      << back.ShortDebugString();
}

}  // namespace
}  // namespace puente::store
