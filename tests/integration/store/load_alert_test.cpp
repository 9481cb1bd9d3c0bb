// One alert of an incident read alone (IncidentStore::load_alert, lua/load_alert.lua), on a real
// Redis: what the push dispatch reads for a claim's pushes instead of the whole incident. The
// alert comes back as the incident holds it (offset set); another id, one only quoted in an
// alert's note, and an incident that is gone answer not_found.
#include "store/incident_store.hpp"

#include "core/clock.hpp"
#include "redis_link.hpp"

#include <gtest/gtest.h>

#include <future>

namespace puente::store {
namespace {

using Clock = std::chrono::system_clock;

class LoadAlert : public test::StoreTest {
 protected:
  IncidentStore store{link.connection(), Keys{"test:"}};

  // Opens inc-1 with alerts al-1 and al-2 (whose note quotes al-3).
  void open_with_alerts() {
    const auto sent = Clock::now();
    v1::Incident incident;
    incident.set_id("inc-1");
    incident.set_neighborhood("boyle-heights");
    incident.set_status(v1::REPORTED);
    incident.set_kind(v1::RAID);
    *incident.mutable_created_at() = core::to_timestamp(sent);
    v1::Report report;
    report.set_id("rep-1");
    report.set_kind(v1::RAID);
    std::vector<v1::Alert> alerts(2);
    for (int i = 0; i < 2; ++i) {
      alerts[i].set_id("al-" + std::to_string(i + 1));
      alerts[i].set_incident_id("inc-1");
      alerts[i].set_neighborhood("boyle-heights");
      alerts[i].set_type(i == 0 ? v1::VERIFY : v1::UPDATE);
      *alerts[i].mutable_sent_at() = core::to_timestamp(sent);
      for (const char* id : {"obs-a", "obs-b"}) alerts[i].add_recipients(id);
    }
    alerts[1].set_note("as al-3 said");
    std::promise<Outcome> opened;
    store.open(incident, report, report.reporter_id(), alerts, {}, std::nullopt, {},
               [&](IncidentStore::Sent s) { opened.set_value(s.outcome()); });
    ASSERT_EQ(opened.get_future().get(), Outcome::ok);
  }

  std::pair<Outcome, v1::Alert> load_alert(const std::string& incident_id,
                                           const std::string& alert_id) {
    std::promise<std::pair<Outcome, v1::Alert>> got;
    store.load_alert(incident_id, alert_id, [&](Outcome outcome, v1::Alert alert) {
      got.set_value({outcome, std::move(alert)});
    });
    return got.get_future().get();
  }
};

TEST_F(LoadAlert, AnswersTheAlertAsTheIncidentHoldsIt) {
  open_with_alerts();
  std::promise<v1::Incident> whole;
  store.load("inc-1", [&](Outcome, v1::Incident incident) { whole.set_value(incident); });
  const auto incident = whole.get_future().get();
  ASSERT_EQ(incident.alerts_size(), 2);

  for (int i = 0; i < 2; ++i) {
    const auto [outcome, alert] = load_alert("inc-1", incident.alerts(i).id());
    ASSERT_EQ(outcome, Outcome::ok);
    EXPECT_FALSE(alert.offset().empty());
    EXPECT_EQ(alert.SerializeAsString(), incident.alerts(i).SerializeAsString());
  }
}

TEST_F(LoadAlert, AnotherIdOrAGoneIncidentIsNotFound) {
  open_with_alerts();
  EXPECT_EQ(load_alert("inc-1", "al-9").first, Outcome::not_found);
  EXPECT_EQ(load_alert("inc-1", "al-3").first, Outcome::not_found)
      << "an id quoted in a note is not the alert's";
  EXPECT_EQ(load_alert("inc-2", "al-1").first, Outcome::not_found);
}

}  // namespace
}  // namespace puente::store
