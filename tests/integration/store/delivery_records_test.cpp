// Delivery records on a real Redis: what nodes appended for an alert comes back as one record
// per recipient, the earliest write counting when a replay or a second node wrote it again, and
// a recipient nothing was written to shows as sent only. A batch names recipients by place in
// the alert's list sorted (a bitmap, or a list when shorter), and one written before (by id, or
// a list with a delay each) is still read.
#include "store/incident_store.hpp"

#include "core/clock.hpp"
#include "opened_incident.hpp"
#include "redis_link.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <future>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace puente::store {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

class DeliveryRecords : public test::StoreTest {
 protected:
  IncidentStore store{link.connection(), Keys{"test:"}};

  // When al-1 was sent, and ms since the epoch `after` it.
  const Clock::time_point sent = Clock::now() - 1min;
  long long at(std::chrono::milliseconds after) const { return core::to_ms(sent + after); }

  // Opens inc-1 with alert al-1, sent at `sent` to three observers (not in sorted order, as a
  // roster may list them): sorted, as a node's frame holds them (net::HubFrame::recipients),
  // obs-a is place 0, obs-b place 1 and obs-c place 2.
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

  // Appends a batch for al-1 naming recipients by id, as nodes wrote them before places:
  // (responder, delay ms after `written_ms`) each.
  void append_batch_by_id(long long written_ms,
                          const std::vector<std::pair<std::string, std::uint32_t>>& delays) {
    v1::DeliveryBatch old;
    old.set_alert_id("al-1");
    old.set_written_ms(written_ms);
    for (const auto& [id, delay] : delays) {
      old.add_responder_ids(id);
      old.add_delays_ms(delay);
    }
    link.command({"RPUSH", "test:incident:inc-1:deliveries", old.SerializeAsString()});
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
  store.mark_delivered("inc-1", "al-1", {{0, sent + 20ms}, {1, sent + 5ms}});
  // Replayed later, or written by a second node that holds the same responder's other socket.
  store.mark_delivered("inc-1", "al-1", {{1, sent + 50ms}, {0, sent + 3ms}});

  EXPECT_EQ(delivered(), (DeliveredAt{{"obs-a", at(3ms)}, {"obs-b", at(5ms)}, {"obs-c", 0}}));
}

TEST_F(DeliveryRecords, ABatchNamesRecipientsByABitmapOfPlaces) {
  open_with_alert();
  store.mark_delivered("inc-1", "al-1", {{2, sent + 7ms}, {0, sent + 2ms}});

  const auto stored = only_batch();
  EXPECT_EQ(stored.responder_ids_size(), 0);
  EXPECT_EQ(stored.recipient_places_size(), 0);
  EXPECT_EQ(stored.delivered_places(), std::string(1, '\x05'));  // places 0 and 2
  EXPECT_EQ(stored.written_ms(), at(2ms));
  // In the bitmap's order: place 0, then 2.
  EXPECT_EQ(std::vector<std::uint32_t>(stored.delays_ms().begin(), stored.delays_ms().end()),
            (std::vector<std::uint32_t>{0, 5}));
  EXPECT_EQ(delivered(), (DeliveredAt{{"obs-a", at(2ms)}, {"obs-b", 0}, {"obs-c", at(7ms)}}));
}

// Every write in one millisecond: the batch's time is theirs, and it stores no delays.
TEST_F(DeliveryRecords, WritesInOneMillisecondStoreNoDelays) {
  open_with_alert();
  store.mark_delivered("inc-1", "al-1", {{1, sent + 4ms}, {0, sent + 4ms}});

  EXPECT_EQ(only_batch().delays_ms_size(), 0);
  EXPECT_EQ(delivered(), (DeliveredAt{{"obs-a", at(4ms)}, {"obs-b", at(4ms)}, {"obs-c", 0}}));
}

// A responder's two sockets (or a replay) in one batch: one place, its earliest time.
TEST_F(DeliveryRecords, ARecipientWrittenTwiceInABatchKeepsTheEarliest) {
  open_with_alert();
  store.mark_delivered("inc-1", "al-1", {{1, sent + 9ms}, {1, sent + 3ms}, {2, sent + 6ms}});

  const auto stored = only_batch();
  EXPECT_EQ(std::vector<std::uint32_t>(stored.delays_ms().begin(), stored.delays_ms().end()),
            (std::vector<std::uint32_t>{0, 3}));
  EXPECT_EQ(delivered(), (DeliveredAt{{"obs-a", 0}, {"obs-b", at(3ms)}, {"obs-c", at(6ms)}}));
}

// Two places far down a long list (a replay to two late sockets, one of them written twice)
// take 4 B as a list, 33 as a bitmap: the list is written, each place once at its earliest.
TEST_F(DeliveryRecords, AFewPlacesFarDownALongListAreAList) {
  auto alert = test::boyle_heights_alert("al-1", sent, {});
  for (int i = 0; i < 300; ++i) alert.add_recipients("obs-" + std::to_string(1000 + i));
  ASSERT_EQ(test::open_incident_with(store, {alert}, sent), Outcome::ok);
  store.mark_delivered("inc-1", "al-1", {{260, sent + 8ms}, {250, sent + 1ms}, {260, sent + 5ms}});

  const auto stored = only_batch();
  EXPECT_TRUE(stored.delivered_places().empty());
  EXPECT_EQ(std::vector<std::uint32_t>(stored.recipient_places().begin(),
                                       stored.recipient_places().end()),
            (std::vector<std::uint32_t>{250, 260}));
  const auto got = delivered();
  EXPECT_EQ(got.size(), 300u);
  EXPECT_EQ(got.at("obs-1250"), at(1ms));
  EXPECT_EQ(got.at("obs-1260"), at(5ms));
  EXPECT_EQ(got.at("obs-1251"), 0);
}

// As nodes wrote them before bitmaps: a list of places with a delay each.
TEST_F(DeliveryRecords, ABatchWrittenBeforeAsAListIsStillRead) {
  open_with_alert();
  v1::DeliveryBatch old;
  old.set_alert_id("al-1");
  old.set_written_ms(at(4ms));
  old.add_recipient_places(2);
  old.add_delays_ms(0);
  old.add_recipient_places(1);
  old.add_delays_ms(6);
  link.command({"RPUSH", "test:incident:inc-1:deliveries", old.SerializeAsString()});

  EXPECT_EQ(delivered(), (DeliveredAt{{"obs-a", 0}, {"obs-b", at(10ms)}, {"obs-c", at(4ms)}}));
}

// A batch appended before recipients were named by place (or by a node that has not been
// upgraded yet) names them by id; it reads as it did, beside one that names them by place.
TEST_F(DeliveryRecords, ABatchThatNamesRecipientsByIdIsStillRead) {
  open_with_alert();
  append_batch_by_id(at(4ms), {{"obs-b", 0}, {"obs-c", 9}});
  store.mark_delivered("inc-1", "al-1", {{2, sent + 1ms}});

  EXPECT_EQ(delivered(), (DeliveredAt{{"obs-a", 0}, {"obs-b", at(4ms)}, {"obs-c", at(1ms)}}));
}

// Someone the alert does not list, in a batch by id (an older node's slip): the incident shows
// its recipients only.
TEST_F(DeliveryRecords, ABatchNamingSomeoneNotListedShowsTheListedOnly) {
  open_with_alert();
  append_batch_by_id(at(3ms), {{"obs-a", 0}, {"obs-z", 3}});

  EXPECT_EQ(delivered(), (DeliveredAt{{"obs-a", at(3ms)}, {"obs-b", 0}, {"obs-c", 0}}));
}

}  // namespace
}  // namespace puente::store
