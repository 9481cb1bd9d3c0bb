// One alert of an incident read alone (IncidentStore::load_alert, lua/load_alert.lua), on a real
// Redis: what the push dispatch reads for a claim's pushes instead of the whole incident. The
// alert comes back as the incident holds it (offset set); another id, one only quoted in an
// alert's note, and an incident that is gone answer not_found.
#include "store/incident_store.hpp"

#include "core/clock.hpp"
#include "opened_incident.hpp"
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
    auto alerts = test::verify_then_update(sent);
    alerts[1].set_note("as al-3 said");
    ASSERT_EQ(test::open_incident_with(store, alerts, sent), Outcome::ok);
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
