// What a report leaves in Redis's append-only log, kept once (issue 22), on a real Redis: an
// alert is written to its incident's list only, and its neighborhood's history names it there;
// a socket's replay (IncidentStore::replay, lua/replay_alerts.lua) still reads it whole,
// recipients included, in order; a history entry written before, which held the alert itself,
// is still replayed; an alert whose incident was purged is left out. The report log names the
// report, which the incident's list keeps.
#include "store/incident_store.hpp"

#include "core/clock.hpp"
#include "opened_incident.hpp"
#include "redis_link.hpp"

#include <gtest/gtest.h>

#include <future>

namespace puente::store {
namespace {

using Clock = std::chrono::system_clock;

class AlertHistory : public test::StoreTest {
 protected:
  Keys keys{"test:"};
  IncidentStore store{link.connection(), keys};

  // Opens inc-1 (report rep-1) with alerts al-1 and al-2 for Boyle Heights, to two observers.
  void open_with_alerts() {
    const auto sent = Clock::now();
    auto alerts = test::verify_then_update(sent);
    for (int i = 0; i < 2; ++i) alerts[i].set_text("alert " + std::to_string(i + 1));
    ASSERT_EQ(test::open_incident_with(store, alerts, sent, "two vans on Cesar Chavez"),
              Outcome::ok);
  }

  ReplayPage replay_page(const std::string& after, std::size_t limit) {
    std::promise<ReplayPage> got;
    store.replay("boyle-heights", after, limit, [&](Outcome outcome, ReplayPage page) {
      EXPECT_EQ(outcome, Outcome::ok);
      got.set_value(std::move(page));
    });
    return got.get_future().get();
  }
  std::vector<v1::Alert> replay(const std::string& after = "0-0") {
    auto page = replay_page(after, 10);
    EXPECT_EQ(page.next_after, "") << "the history ends within the page";
    return page.alerts;
  }

  // The fields of each entry of a stream, by name.
  std::vector<std::map<std::string, std::string>> entries(const std::string& stream) {
    std::vector<std::map<std::string, std::string>> out;
    for (const auto& entry : link.command({"XRANGE", stream, "-", "+"}).elements) {
      auto& fields = out.emplace_back();
      const auto& f = entry.elements.at(1).elements;
      for (std::size_t i = 0; i + 1 < f.size(); i += 2) fields[f[i].str] = f[i + 1].str;
    }
    return out;
  }
};

TEST_F(AlertHistory, AnAlertIsWrittenOnceAndStillReplayedWhole) {
  open_with_alerts();
  const auto history = entries(keys.alert_history("boyle-heights"));
  ASSERT_EQ(history.size(), 2u);
  for (std::size_t i = 0; i < history.size(); ++i) {
    EXPECT_FALSE(history[i].contains("pb")) << "the alert is kept in the incident's list only";
    EXPECT_EQ(history[i].at("i"), "inc-1");
    EXPECT_EQ(history[i].at("n"), std::to_string(i));
  }

  std::promise<v1::Incident> whole;
  store.load("inc-1", [&](Outcome, v1::Incident incident) { whole.set_value(incident); });
  const auto incident = whole.get_future().get();
  ASSERT_EQ(incident.alerts_size(), 2);
  const auto replayed = replay();
  ASSERT_EQ(replayed.size(), 2u);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(replayed[i].SerializeAsString(), incident.alerts(i).SerializeAsString()) << i;
    EXPECT_EQ(replayed[i].recipients_size(), 2) << "replay decides who sees it by its recipients";
  }
  // And from an offset: only what follows it.
  const auto after_first = replay(incident.alerts(0).offset());
  ASSERT_EQ(after_first.size(), 1u);
  EXPECT_EQ(after_first[0].id(), "al-2");
}

TEST_F(AlertHistory, AnEntryThatHeldTheAlertItselfIsStillReplayed) {
  v1::Alert before;
  before.set_id("al-old");
  before.set_incident_id("inc-old");
  before.set_neighborhood("boyle-heights");
  before.add_recipients("obs-a");
  const auto offset = link.command({"XADD", keys.alert_history("boyle-heights"), "*", "pb",
                                    before.SerializeAsString()})
                          .str;
  open_with_alerts();
  const auto replayed = replay();
  ASSERT_EQ(replayed.size(), 3u);
  EXPECT_EQ(replayed[0].id(), "al-old");
  EXPECT_EQ(replayed[0].offset(), offset);
  EXPECT_EQ(replayed[0].recipients_size(), 1);
  EXPECT_EQ(replayed[1].id(), "al-1");
  EXPECT_EQ(replayed[2].id(), "al-2");
}

TEST_F(AlertHistory, AnAlertOfAPurgedIncidentIsLeftOut) {
  open_with_alerts();
  link.command({"DEL", keys.incident_alerts("inc-1")});  // what the purge deletes
  EXPECT_TRUE(replay().empty());
}

// A page that read all it could names where the next starts, past entries left out: the live
// feed and a socket both read on from there until a page says the history ends.
TEST_F(AlertHistory, AFullPageNamesWhereTheNextStartsEvenPastAPurgedIncident) {
  open_with_alerts();
  const auto history = link.command({"XRANGE", keys.alert_history("boyle-heights"), "-", "+"});
  ASSERT_EQ(history.elements.size(), 2u);
  const auto first = history.elements[0].elements.at(0).str;
  const auto second = history.elements[1].elements.at(0).str;

  auto page = replay_page("0-0", 1);
  ASSERT_EQ(page.alerts.size(), 1u);
  EXPECT_EQ(page.alerts[0].id(), "al-1");
  EXPECT_EQ(page.next_after, first);
  page = replay_page(page.next_after, 1);
  ASSERT_EQ(page.alerts.size(), 1u);
  EXPECT_EQ(page.alerts[0].id(), "al-2");
  EXPECT_EQ(page.next_after, second) << "a full page: more may follow";
  page = replay_page(page.next_after, 1);
  EXPECT_TRUE(page.alerts.empty());
  EXPECT_EQ(page.next_after, "");

  link.command({"DEL", keys.incident_alerts("inc-1")});  // what the purge deletes
  page = replay_page("0-0", 1);
  EXPECT_TRUE(page.alerts.empty());
  EXPECT_EQ(page.next_after, first) << "an empty page is not the end of the history";
}

TEST_F(AlertHistory, TheReportLogNamesTheReportTheIncidentKeeps) {
  open_with_alerts();
  const auto log = entries(keys.report_log());
  ASSERT_EQ(log.size(), 1u);
  EXPECT_FALSE(log[0].contains("pb")) << "the report is kept in the incident's list only";
  EXPECT_EQ(log[0].at("i"), "inc-1");
  EXPECT_EQ(log[0].at("r"), "rep-1");
  EXPECT_EQ(link.integer({"LLEN", keys.incident_reports("inc-1")}), 1);
}

}  // namespace
}  // namespace puente::store
