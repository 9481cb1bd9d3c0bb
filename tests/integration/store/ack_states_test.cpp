// Acks on a real Redis (issue 15, items 1 and 9): each responder has one ack state per
// incident with a bounded history of changes, however many acks they send; a repeat of their
// state changes nothing; the same idempotency key with other content (an ack or a report) is
// refused and changes nothing; acks an older node kept in the :acks list are still read; an ack
// is checked against its alert and the responder's reach in the same step (issue 16).
#include "store/incident_store.hpp"

#include "core/clock.hpp"
#include "core/idempotency.hpp"
#include "redis_link.hpp"

#include <gtest/gtest.h>

#include <future>

namespace puente::store {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

class AckStates : public test::StoreTest {
 protected:
  StoreOptions options() {
    StoreOptions o;
    o.ack_history_per_responder = 4;
    return o;
  }
  IncidentStore store{link.connection(), Keys{"test:"}, options()};
  Keys keys{"test:"};

  // Opens inc-1 with alerts al-1 and al-2 to obs-a and obs-b; `report_key` as its report's
  // idempotency key.
  Outcome open_incident(const std::string& id, const std::string& report_key = "",
                        const std::string& description = "agents at the market") {
    v1::Incident incident;
    incident.set_id(id);
    incident.set_neighborhood("boyle-heights");
    incident.set_status(v1::REPORTED);
    incident.set_kind(v1::RAID);
    *incident.mutable_created_at() = core::now();
    v1::Report report;
    report.set_id("rep-" + id);
    report.set_kind(v1::RAID);
    report.set_description(description);
    report.set_reporter_id("op");
    report.set_idempotency_key(report_key);
    std::vector<v1::Alert> alerts;
    for (const char* alert_id : {"al-1", "al-2"}) {
      auto& alert = alerts.emplace_back();
      alert.set_id(alert_id);
      alert.set_incident_id(id);
      alert.set_neighborhood("boyle-heights");
      *alert.mutable_sent_at() = core::now();
      for (const char* who : {"obs-a", "obs-b"}) alert.add_recipients(who);
    }
    std::promise<Outcome> opened;
    store.open(incident, report, report.reporter_id(), alerts, {}, std::nullopt, {},
               [&](IncidentStore::Sent s) { opened.set_value(s.outcome()); });
    return opened.get_future().get();
  }

  Outcome ack(const std::string& who, v1::AckState state, const std::string& key = "",
              const std::string& alert = "al-1", Clock::time_point at = Clock::now()) {
    return record(who, state, key, alert, at, {}).outcome;
  }

  IncidentStore::AckRecorded checked_ack(const std::string& who, const core::AckReach& reach,
                                         const std::string& alert = "al-1",
                                         const std::string& incident = "inc-1") {
    return record(who, v1::RECEIVED, "", alert, Clock::now(), reach, incident);
  }

  IncidentStore::AckRecorded record(const std::string& who, v1::AckState state,
                                    const std::string& key, const std::string& alert,
                                    Clock::time_point at, const core::AckReach& reach,
                                    const std::string& incident = "inc-1") {
    v1::Ack a;
    a.set_incident_id(incident);
    a.set_alert_id(alert);
    a.set_responder_id(who);
    a.set_state(state);
    a.set_idempotency_key(key);
    *a.mutable_at() = core::to_timestamp(at);
    std::promise<IncidentStore::AckRecorded> recorded;
    store.record_ack(a, {}, reach,
                     [&](IncidentStore::AckRecorded r) { recorded.set_value(std::move(r)); });
    return recorded.get_future().get();
  }

  v1::Incident load() {
    std::promise<v1::Incident> got;
    store.load("inc-1", [&](Outcome outcome, v1::Incident incident) {
      EXPECT_EQ(outcome, Outcome::ok);
      got.set_value(std::move(incident));
    });
    return got.get_future().get();
  }

  std::vector<v1::AckState> states_of(const v1::Incident& incident, const std::string& who) {
    std::vector<v1::AckState> states;
    for (const auto& a : incident.acks())
      if (a.responder_id() == who) states.push_back(a.state());
    return states;
  }

  const v1::Delivery* delivery(const v1::Incident& incident, const std::string& alert,
                               const std::string& who) {
    for (const auto& d : incident.deliveries())
      if (d.alert_id() == alert && d.responder_id() == who) return &d;
    return nullptr;
  }
};

TEST_F(AckStates, AFloodOfAcksKeepsOneBoundedStatePerResponder) {
  ASSERT_EQ(open_incident("inc-1"), Outcome::ok);
  ASSERT_EQ(ack("obs-b", v1::RECEIVED), Outcome::ok);
  const auto start = Clock::now();
  constexpr int flood = 2000;
  for (int i = 0; i < flood; ++i)
    ASSERT_EQ(ack("obs-a", i % 2 ? v1::ON_SCENE : v1::EN_ROUTE, "", "al-1",
                  start + std::chrono::milliseconds(i)),
              Outcome::ok);

  // One field per responder, of a bounded size: 4 changes of a few dozen bytes each.
  EXPECT_EQ(link.integer({"HLEN", keys.incident_ack_states("inc-1")}), 2);
  EXPECT_LT(link.integer({"HSTRLEN", keys.incident_ack_states("inc-1"), "obs-a"}), 4 * 128);
  EXPECT_EQ(link.integer({"EXISTS", keys.incident_acks("inc-1")}), 0)
      << "nothing goes to the old list";

  const auto incident = load();
  EXPECT_EQ(states_of(incident, "obs-a"),
            (std::vector<v1::AckState>{v1::EN_ROUTE, v1::ON_SCENE, v1::EN_ROUTE, v1::ON_SCENE}));
  EXPECT_EQ(states_of(incident, "obs-b"), std::vector<v1::AckState>{v1::RECEIVED});
  const auto* a = delivery(incident, "al-1", "obs-a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->last_state(), v1::ON_SCENE) << "the newest state is the one shown";
  const auto* b = delivery(incident, "al-1", "obs-b");
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->has_seen_at());
  EXPECT_EQ(b->last_state(), v1::RECEIVED);
}

TEST_F(AckStates, RepeatingTheSameStateChangesNothing) {
  ASSERT_EQ(open_incident("inc-1"), Outcome::ok);
  ASSERT_EQ(ack("obs-a", v1::RECEIVED), Outcome::ok);
  const auto logged = link.integer({"XLEN", keys.ack_log()});
  for (int i = 0; i < 50; ++i) EXPECT_EQ(ack("obs-a", v1::RECEIVED), Outcome::repeated);
  EXPECT_EQ(link.integer({"XLEN", keys.ack_log()}), logged) << "a repeat is not logged again";
  // The same state for another alert is news: that alert was seen too.
  EXPECT_EQ(ack("obs-a", v1::RECEIVED, "", "al-2"), Outcome::ok);
  const auto incident = load();
  EXPECT_EQ(states_of(incident, "obs-a"), (std::vector<v1::AckState>{v1::RECEIVED, v1::RECEIVED}));
  ASSERT_TRUE(delivery(incident, "al-2", "obs-a"));
  EXPECT_TRUE(delivery(incident, "al-2", "obs-a")->has_seen_at());
}

TEST_F(AckStates, AnAckKeyReusedForOtherContentIsRefusedAndChangesNothing) {
  ASSERT_EQ(open_incident("inc-1"), Outcome::ok);
  ASSERT_EQ(ack("obs-a", v1::EN_ROUTE, "k-1"), Outcome::ok);
  EXPECT_EQ(ack("obs-a", v1::EN_ROUTE, "k-1"), Outcome::repeated) << "a true retry";
  EXPECT_EQ(ack("obs-a", v1::ON_SCENE, "k-1"), Outcome::reused_key);
  EXPECT_EQ(ack("obs-a", v1::EN_ROUTE, "k-1", "al-2"), Outcome::reused_key);
  EXPECT_EQ(states_of(load(), "obs-a"), std::vector<v1::AckState>{v1::EN_ROUTE});
  // Keys are per responder: another may use the same one.
  EXPECT_EQ(ack("obs-b", v1::ON_SCENE, "k-1"), Outcome::ok);
  // A key an older node remembered ("1", no digest) still reads as a retry.
  link.command({"SET", keys.idempotency("ack/obs-a/k-old"), "1"});
  EXPECT_EQ(ack("obs-a", v1::DECLINED, "k-old"), Outcome::repeated);
}

TEST_F(AckStates, AReportKeyReusedForOtherContentIsRefusedAndChangesNothing) {
  ASSERT_EQ(open_incident("inc-1", "call-7"), Outcome::ok);
  EXPECT_EQ(open_incident("inc-2", "call-7"), Outcome::repeated) << "a true retry";
  EXPECT_EQ(open_incident("inc-3", "call-7", "agents at the school"), Outcome::reused_key);
  EXPECT_EQ(link.integer({"EXISTS", keys.incident("inc-3")}), 0);
  EXPECT_EQ(link.integer({"ZCARD", keys.incidents()}), 1);
}

// Issue 22: a key's entry keeps the content digest in 22 characters (base64url of 16 bytes of
// SHA-256); an entry written before, with all 32 bytes in hex, still tells a retry from other
// content until it expires.
TEST_F(AckStates, KeysKeepAShortDigestAndThoseKeptInHexStillTellARetryFromOtherContent) {
  ASSERT_EQ(open_incident("inc-1", "call-7"), Outcome::ok);
  ASSERT_EQ(ack("obs-a", v1::EN_ROUTE, "k-1"), Outcome::ok);
  EXPECT_EQ(link.command({"GET", keys.idempotency("ack/obs-a/k-1")}).str.size(), 22u);
  EXPECT_EQ(link.command({"GET", keys.idempotency("op/call-7")}).str.size(),
            std::string("inc-1 rep-inc-1 ").size() + 22u);

  v1::Ack earlier;
  earlier.set_incident_id("inc-1");
  earlier.set_alert_id("al-1");
  earlier.set_state(v1::ON_SCENE);
  link.command({"SET", keys.idempotency("ack/obs-a/k-hex"), core::content_digest(earlier).hex});
  EXPECT_EQ(ack("obs-a", v1::ON_SCENE, "k-hex"), Outcome::repeated);
  EXPECT_EQ(ack("obs-a", v1::DECLINED, "k-hex"), Outcome::reused_key);

  v1::Report first;
  first.set_kind(v1::RAID);
  first.set_description("agents at the market");
  link.command({"SET", keys.idempotency("op/call-hex"),
                "inc-0 rep-inc-0 " + core::content_digest(first).hex});
  EXPECT_EQ(open_incident("inc-2", "call-hex"), Outcome::repeated);
  EXPECT_EQ(open_incident("inc-3", "call-hex", "agents at the school"), Outcome::reused_key);
  EXPECT_EQ(link.integer({"ZCARD", keys.incidents()}), 1);
}

TEST_F(AckStates, AcksAnOlderNodeKeptInTheListAreStillRead) {
  ASSERT_EQ(open_incident("inc-1"), Outcome::ok);
  v1::Ack old;
  old.set_incident_id("inc-1");
  old.set_alert_id("al-1");
  old.set_responder_id("obs-b");
  old.set_state(v1::ON_SCENE);
  *old.mutable_at() = core::to_timestamp(Clock::now() - 1min);
  link.command({"RPUSH", keys.incident_acks("inc-1"), old.SerializeAsString()});
  ASSERT_EQ(ack("obs-a", v1::EN_ROUTE), Outcome::ok);
  const auto incident = load();
  ASSERT_EQ(incident.acks_size(), 2);
  EXPECT_EQ(incident.acks(0).responder_id(), "obs-b") << "in time order";
  EXPECT_EQ(incident.acks(1).responder_id(), "obs-a");
}

TEST_F(AckStates, AnAckIsCheckedAgainstItsAlertAndTheRespondersReachInTheSameStep) {
  ASSERT_EQ(open_incident("inc-1"), Outcome::ok);
  const core::AckReach nowhere, own{false, {"westlake", "boyle-heights"}},
      elsewhere{false, {"westlake"}}, anywhere{true, {}};
  // Whom the alert went to may ack it; whoever else only where they may.
  EXPECT_EQ(checked_ack("obs-a", nowhere).outcome, Outcome::ok);
  auto refused = checked_ack("vol-x", elsewhere);
  EXPECT_EQ(refused.outcome, Outcome::not_recipient);
  EXPECT_EQ(refused.neighborhood, "boyle-heights") << "the refusal names where the incident is";
  EXPECT_EQ(checked_ack("vol-y", nowhere).outcome, Outcome::not_recipient);
  EXPECT_EQ(link.integer({"HEXISTS", keys.incident_ack_states("inc-1"), "vol-x"}), 0)
      << "a refusal writes nothing";
  EXPECT_EQ(checked_ack("vol-x", own).outcome, Outcome::ok);
  EXPECT_EQ(checked_ack("disp", anywhere).outcome, Outcome::ok);
  // An alert the incident did not send, an incident that does not exist: nothing written.
  const auto logged = link.integer({"XLEN", keys.ack_log()});
  EXPECT_EQ(checked_ack("obs-a", anywhere, "al-9").outcome, Outcome::no_alert);
  EXPECT_EQ(checked_ack("obs-a", anywhere, "al-1", "inc-2").outcome, Outcome::not_found);
  EXPECT_EQ(link.integer({"XLEN", keys.ack_log()}), logged);
  EXPECT_EQ(link.integer({"EXISTS", keys.incident_ack_states("inc-2")}), 0);
  // The second alert is found behind the first, and its own recipients count.
  EXPECT_EQ(checked_ack("obs-b", nowhere, "al-2").outcome, Outcome::ok);
}

}  // namespace
}  // namespace puente::store
