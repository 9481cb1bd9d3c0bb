// Delivery records on a real Redis: what nodes appended for an alert comes back as one record
// per recipient, the earliest write counting when a replay or a second node wrote it again, and
// a recipient nothing was written to shows as sent only.
#include "store/incident_store.hpp"

#include "core/clock.hpp"
#include "opened_incident.hpp"
#include "redis_link.hpp"

#include <gtest/gtest.h>

#include <future>
#include <map>

namespace puente::store {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

class DeliveryRecords : public test::StoreTest {
 protected:
  IncidentStore store{link.connection(), Keys{"test:"}};

  // Opens inc-1 with alert al-1, sent at `sent` to three observers.
  void open_with_alert(Clock::time_point sent) {
    auto alert = test::boyle_heights_alert("al-1", sent, {"obs-a", "obs-b", "obs-c"});
    ASSERT_EQ(test::open_incident_with(store, {alert}, sent), Outcome::ok);
  }

  // responder -> ms it was delivered at (0: never), as a loaded incident shows them.
  std::map<std::string, long long> delivered() {
    std::promise<v1::Incident> got;
    store.load("inc-1", [&](Outcome outcome, v1::Incident incident) {
      EXPECT_EQ(outcome, Outcome::ok);
      got.set_value(std::move(incident));
    });
    const auto incident = got.get_future().get();
    std::map<std::string, long long> out;
    for (const auto& d : incident.deliveries()) {
      EXPECT_EQ(d.alert_id(), "al-1");
      out[d.responder_id()] = d.has_delivered_at() ? core::to_ms(d.delivered_at()) : 0;
    }
    return out;
  }
};

TEST_F(DeliveryRecords, TheEarliestWriteToEachRecipientCountsAcrossBatches) {
  const auto sent = Clock::now() - 1min;
  open_with_alert(sent);
  store.mark_delivered("inc-1", "al-1", {{"obs-a", sent + 20ms}, {"obs-b", sent + 5ms}});
  // Replayed later, or written by a second node that holds the same responder's other socket.
  store.mark_delivered("inc-1", "al-1", {{"obs-b", sent + 50ms}, {"obs-a", sent + 3ms}});

  const auto at = [&](std::chrono::milliseconds after) { return core::to_ms(sent + after); };
  EXPECT_EQ(delivered(), (std::map<std::string, long long>{
                             {"obs-a", at(3ms)}, {"obs-b", at(5ms)}, {"obs-c", 0}}));
}

}  // namespace
}  // namespace puente::store
