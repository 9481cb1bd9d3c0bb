// Delivery records on a real Redis: what nodes appended for an alert comes back as one record
// per recipient, the earliest write counting when a replay or a second node wrote it again, and
// a recipient nothing was written to shows as sent only. A batch names recipients by place in
// the alert's list sorted, and one written before (by id) is still read.
#include "store/incident_store.hpp"

#include "core/clock.hpp"
#include "opened_incident.hpp"
#include "redis_link.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <future>
#include <map>
#include <vector>

namespace puente::store {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

class DeliveryRecords : public test::StoreTest {
 protected:
  IncidentStore store{link.connection(), Keys{"test:"}};

  // The alert's recipients sorted, as a node's frame holds them (net::HubFrame::recipients).
  const std::vector<std::string> recipients{"obs-a", "obs-b", "obs-c"};

  // When al-1 was sent, and ms since the epoch `after` it.
  const Clock::time_point sent = Clock::now() - 1min;
  long long at(std::chrono::milliseconds after) const { return core::to_ms(sent + after); }

  // Opens inc-1 with alert al-1, sent at `sent` to three observers (not in sorted order, as a
  // roster may list them).
  void open_with_alert() {
    auto alert = test::boyle_heights_alert("al-1", sent, {"obs-c", "obs-a", "obs-b"});
    ASSERT_EQ(test::open_incident_with(store, {alert}, sent), Outcome::ok);
  }

  // The one batch appended for inc-1, parsed (empty, and the test failed, if not one).
  v1::DeliveryBatch only_batch() {
    const auto stored =
        link.command({"LRANGE", "test:incident:inc-1:deliveries", "0", "-1"}).elements;
    v1::DeliveryBatch batch;
    EXPECT_EQ(stored.size(), 1u);
    if (stored.size() == 1) {
      EXPECT_TRUE(batch.ParseFromString(stored[0].str));
    }
    return batch;
  }

  // responder -> ms it was delivered at (0: never), as a loaded incident shows them.
  using DeliveredAt = std::map<std::string, long long>;
  DeliveredAt delivered() {
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
  open_with_alert();
  store.mark_delivered("inc-1", "al-1", recipients,
                       {{"obs-a", sent + 20ms}, {"obs-b", sent + 5ms}});
  // Replayed later, or written by a second node that holds the same responder's other socket.
  store.mark_delivered("inc-1", "al-1", recipients,
                       {{"obs-b", sent + 50ms}, {"obs-a", sent + 3ms}});

  EXPECT_EQ(delivered(), (DeliveredAt{{"obs-a", at(3ms)}, {"obs-b", at(5ms)}, {"obs-c", 0}}));
}

TEST_F(DeliveryRecords, ABatchNamesRecipientsByPlaceNotId) {
  open_with_alert();
  store.mark_delivered("inc-1", "al-1", recipients, {{"obs-c", sent + 7ms}, {"obs-a", sent + 2ms}});

  const auto stored = only_batch();
  EXPECT_EQ(stored.responder_ids_size(), 0);
  EXPECT_EQ(std::vector<std::uint32_t>(stored.recipient_places().begin(),
                                       stored.recipient_places().end()),
            (std::vector<std::uint32_t>{2, 0}));
  EXPECT_EQ(delivered(), (DeliveredAt{{"obs-a", at(2ms)}, {"obs-b", 0}, {"obs-c", at(7ms)}}));
}

// A batch appended before recipients were named by place (or by a node that has not been
// upgraded yet) names them by id; it reads as it did, beside one that names them by place.
TEST_F(DeliveryRecords, ABatchThatNamesRecipientsByIdIsStillRead) {
  open_with_alert();
  v1::DeliveryBatch old;
  old.set_alert_id("al-1");
  old.set_written_ms(at(4ms));
  old.add_responder_ids("obs-b");
  old.add_delays_ms(0);
  old.add_responder_ids("obs-c");
  old.add_delays_ms(9);
  link.command({"RPUSH", "test:incident:inc-1:deliveries", old.SerializeAsString()});
  store.mark_delivered("inc-1", "al-1", recipients, {{"obs-c", sent + 1ms}});

  EXPECT_EQ(delivered(), (DeliveredAt{{"obs-a", 0}, {"obs-b", at(4ms)}, {"obs-c", at(1ms)}}));
}

// Someone the alert does not list (a node's slip: a socket records only the alert's own
// recipients) is kept by id, so nothing written is lost; the incident shows its recipients only.
TEST_F(DeliveryRecords, ABatchNamingSomeoneNotListedKeepsIds) {
  open_with_alert();
  store.mark_delivered("inc-1", "al-1", recipients, {{"obs-a", sent + 3ms}, {"obs-z", sent + 6ms}});

  const auto stored = only_batch();
  EXPECT_EQ(stored.recipient_places_size(), 0);
  ASSERT_EQ(stored.responder_ids_size(), 2);
  EXPECT_EQ(stored.responder_ids(1), "obs-z");
  EXPECT_EQ(delivered(), (DeliveredAt{{"obs-a", at(3ms)}, {"obs-b", 0}, {"obs-c", 0}}));
}

}  // namespace
}  // namespace puente::store
