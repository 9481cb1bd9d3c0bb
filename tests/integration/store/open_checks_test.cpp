// What opening an incident checks in the same step as its write, on a real Redis: open incidents
// the report may corroborate (only those of its kind reported on within the window, nearest
// first, even where many other incidents crowd the same spot), and whether the availability
// book the alerts were written with is still current. Either check, failing, writes nothing.
// The same book check guards a confirmation and an escalation step. And an open asks Redis
// nothing it has just written.
#include "store/incident_store.hpp"

#include "core/clock.hpp"
#include "redis_link.hpp"

#include <gtest/gtest.h>

#include <future>

namespace puente::store {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

// The car wash on César Chávez, and a point about 5 m east of it.
constexpr double lat = 34.0335, lon = -118.211, lon_5m_east = -118.21095;

// The incidents these tests advance are raids.
StatusChange status_change(v1::IncidentStatus from, v1::IncidentStatus to) {
  StatusChange change;
  change.from = from;
  change.to = to;
  change.kind = v1::RAID;
  return change;
}

class OpenIncidentChecks : public test::StoreTest {
 protected:
  Keys keys{"test:"};
  IncidentStore store{link.connection(), keys};

  void command(std::vector<std::string> args) { link.command(std::move(args)); }
  long long integer(std::vector<std::string> args) { return link.integer(std::move(args)); }

  // An open incident as the open-incident script leaves the fields the search reads.
  void seed(const std::string& id, v1::ReportKind kind, double at_lon,
            Clock::time_point last_report) {
    v1::Incident head;
    head.set_id(id);
    head.set_kind(kind);
    head.mutable_location()->set_lat(lat);
    head.mutable_location()->set_lon(at_lon);
    command({"HSET", keys.incident(id), "pb", head.SerializeAsString(), "status",
             std::to_string(v1::REPORTED), "kind", std::to_string(kind), "location",
             head.location().SerializeAsString(), "last_report_ms",
             std::to_string(core::to_ms(last_report))});
    command({"GEOADD", keys.corroborable_places(kind), std::to_string(at_lon), std::to_string(lat),
             id});
    command({"ZADD", keys.corroborable(), std::to_string(core::to_ms(last_report)), id});
  }

  bool exists(const std::string& key) { return integer({"EXISTS", key}) == 1; }

  // Opens incident `id` for a report of `kind` at the car wash, with `checks`.
  IncidentStore::Sent open(const std::string& id, v1::ReportKind kind,
                           const store::OpenChecks& checks,
                           const std::string& idempotency_key = "") {
    v1::Incident incident;
    incident.set_id(id);
    incident.set_neighborhood("boyle-heights");
    incident.set_status(v1::REPORTED);
    incident.set_kind(kind);
    incident.mutable_location()->set_lat(lat);
    incident.mutable_location()->set_lon(lon);
    *incident.mutable_created_at() = core::now();
    v1::Report report;
    report.set_id("rep-" + id);
    report.set_reporter_id("op");
    report.set_kind(kind);
    report.set_idempotency_key(idempotency_key);
    *report.mutable_location() = incident.location();
    std::promise<IncidentStore::Sent> got;
    store.open(incident, report, report.reporter_id(), {}, {}, std::nullopt, checks,
               [&](IncidentStore::Sent sent) { got.set_value(sent); });
    return got.get_future().get();
  }

  // The ids of the open incidents a report of `kind` found, or {"opened"} if it opened its own.
  std::vector<std::string> candidate_ids(v1::ReportKind kind, Clock::time_point since) {
    auto sent = open("inc-new-" + std::to_string(++opened), kind,
                     {CorroborationQuery{300, since}, std::nullopt, std::nullopt});
    if (sent.outcome() == Outcome::ok) return {"opened"};
    EXPECT_EQ(sent.outcome(), Outcome::near);
    std::vector<std::string> ids;
    for (const auto& c : std::get<IncidentStore::Sent::Near>(sent.what).candidates)
      ids.push_back(c.head.id());
    return ids;
  }
  int opened = 0;

  Outcome attach(const std::string& id, Clock::time_point received) {
    v1::Report report;
    report.set_id("rep-on-" + id);
    report.set_kind(v1::RAID);
    *report.mutable_received_at() = core::to_timestamp(received);
    std::promise<Outcome> got;
    store.attach(id, report, "op-2", {},
                 [&](IncidentStore::Sent sent, int) { got.set_value(sent.outcome()); });
    return got.get_future().get();
  }
  // The score of `member` in the corroboration index, "" if it is not there.
  std::string corroborable_score(const std::string& member) {
    return link.command({"ZSCORE", keys.corroborable(), member}).str;
  }

  Outcome advance(const std::string& id, const StatusChange& change) {
    std::promise<Outcome> got;
    store.advance(id, change, {}, {},
                  [&](IncidentStore::Sent sent) { got.set_value(sent.outcome()); });
    return got.get_future().get();
  }
};

TEST_F(OpenIncidentChecks, OnlyOpenIncidentsOfTheKindReportedOnWithinTheWindowComeBack) {
  const auto now = Clock::now();
  seed("inc-raid-now", v1::RAID, lon_5m_east, now - 1min);
  seed("inc-raid-older", v1::RAID, lon, now - 20min);
  seed("inc-checkpoint", v1::CHECKPOINT, lon, now - 1min);

  EXPECT_EQ(candidate_ids(v1::RAID, now - 10min), std::vector<std::string>{"inc-raid-now"});
  EXPECT_EQ(candidate_ids(v1::RAID, now - 30min),
            (std::vector<std::string>{"inc-raid-older", "inc-raid-now"}))
      << "nearest first";
  EXPECT_FALSE(exists(keys.incident("inc-new-1")))
      << "a report near an incident it may corroborate opens nothing";
  EXPECT_EQ(candidate_ids(v1::ARREST, now - 30min), std::vector<std::string>{"opened"});
  EXPECT_TRUE(exists(keys.incident("inc-new-3")));
}

TEST_F(OpenIncidentChecks, IncidentsReportedOnLongerAgoThanAnyWindowArePrunedAndHideNothing) {
  const auto now = Clock::now();
  // Seventy raids at the car wash last reported two hours ago (beyond the store's 30 minutes),
  // and a fresh one 5 m away: the old ones are nearer, and more than a search looks at.
  for (int i = 0; i < 70; ++i) seed("inc-old-raid-" + std::to_string(i), v1::RAID, lon, now - 2h);
  seed("inc-raid", v1::RAID, lon_5m_east, now - 1min);

  EXPECT_EQ(candidate_ids(v1::RAID, now - 30min), std::vector<std::string>{"inc-raid"});
  EXPECT_EQ(integer({"ZCARD", keys.corroborable()}), 1) << "the old ones left the index";
  EXPECT_EQ(integer({"ZCARD", keys.corroborable_places(v1::RAID)}), 1);
  EXPECT_TRUE(exists(keys.incident("inc-old-raid-0"))) << "and stay open incidents";
}

TEST_F(OpenIncidentChecks, TheRaidIsFoundBehindThirtyOtherIncidentsOnTheSameSpot) {
  const auto now = Clock::now();
  // Thirty surveillance reports right at the car wash; the raid they may be about, 5 m away.
  for (int i = 0; i < 30; ++i)
    seed("inc-surveillance-" + std::to_string(i), v1::SURVEILLANCE, lon, now - 1min);
  seed("inc-raid", v1::RAID, lon_5m_east, now - 1min);

  EXPECT_EQ(candidate_ids(v1::RAID, now - 30min), std::vector<std::string>{"inc-raid"});
}

TEST_F(OpenIncidentChecks, AMovedIncidentIsFoundWhereItIsNowAndAClosedOneNowhere) {
  const auto now = Clock::now();
  seed("inc-raid", v1::RAID, -118.25, now - 1min);  // 3.6 km west
  EXPECT_EQ(candidate_ids(v1::RAID, now - 30min), std::vector<std::string>{"opened"});

  auto move = status_change(v1::REPORTED, v1::CONFIRMED);
  move.new_location.emplace();
  move.new_location->set_lat(lat);
  move.new_location->set_lon(lon_5m_east);
  EXPECT_EQ(advance("inc-raid", move), Outcome::ok);
  EXPECT_EQ(candidate_ids(v1::RAID, now - 30min),
            (std::vector<std::string>{"inc-new-1", "inc-raid"}));

  EXPECT_EQ(advance("inc-raid", status_change(v1::CONFIRMED, v1::RESOLVED)), Outcome::ok);
  EXPECT_EQ(integer({"ZCARD", keys.corroborable_places(v1::RAID)}), 1)
      << "only the incident opened above";
  EXPECT_EQ(integer({"ZCARD", keys.corroborable()}), 1);
}

TEST_F(OpenIncidentChecks, AnOutOfDateAvailabilityBookWritesNothingAndBringsTheCurrentOne) {
  const auto until = Clock::now() + 1h;
  std::promise<bool> set;
  store.set_available("obs-off", until, [&](bool ok) { set.set_value(ok); });
  ASSERT_TRUE(set.get_future().get());

  auto sent = open("inc-stale", v1::RAID, {std::nullopt, std::string(""), std::nullopt});
  ASSERT_EQ(sent.outcome(), Outcome::stale);
  EXPECT_FALSE(exists(keys.incident("inc-stale")));
  EXPECT_FALSE(std::get<IncidentStore::Sent::Stale>(sent.what).book.version.empty());
  EXPECT_EQ(std::get<IncidentStore::Sent::Stale>(sent.what).book.available_at(Clock::now()),
            std::set<std::string>{"obs-off"});
  EXPECT_EQ(std::get<IncidentStore::Sent::Stale>(sent.what).book.available_at(until + 1s),
            std::set<std::string>{});

  EXPECT_EQ(open("inc-current", v1::RAID,
                 {std::nullopt, std::get<IncidentStore::Sent::Stale>(sent.what).book.version,
                  std::nullopt})
                .outcome(),
            Outcome::ok);
  EXPECT_TRUE(exists(keys.incident("inc-current")));

  // Every change makes a new version, clearing too.
  std::promise<bool> cleared;
  store.set_available("obs-off", std::nullopt, [&](bool ok) { cleared.set_value(ok); });
  ASSERT_TRUE(cleared.get_future().get());
  sent = open(
      "inc-after-clear", v1::CHECKPOINT,
      {std::nullopt, std::get<IncidentStore::Sent::Stale>(sent.what).book.version, std::nullopt});
  ASSERT_EQ(sent.outcome(), Outcome::stale);
  EXPECT_EQ(std::get<IncidentStore::Sent::Stale>(sent.what).book.until.size(), 0u);
}

TEST_F(OpenIncidentChecks, AConfirmationOrEscalationChosenFromAnOutOfDateBookWritesNothing) {
  ASSERT_EQ(open("inc-1", v1::RAID, {}).outcome(), Outcome::ok);
  std::promise<bool> set;
  store.set_available("obs-off", Clock::now() + 1h, [&](bool ok) { set.set_value(ok); });
  ASSERT_TRUE(set.get_future().get());
  auto status = [&] { return link.command({"HGET", keys.incident("inc-1"), "status"}).str; };

  auto confirm = status_change(v1::REPORTED, v1::CONFIRMED);
  confirm.availability_version = "";  // chosen before anyone set themselves available
  std::promise<IncidentStore::Sent> refused;
  store.advance("inc-1", confirm, {}, {},
                [&](IncidentStore::Sent sent) { refused.set_value(sent); });
  auto sent = refused.get_future().get();
  ASSERT_EQ(sent.outcome(), Outcome::stale);
  EXPECT_EQ(std::get<IncidentStore::Sent::Stale>(sent.what).book.available_at(Clock::now()),
            std::set<std::string>{"obs-off"});
  EXPECT_EQ(status(), std::to_string(v1::REPORTED));

  confirm.availability_version = std::get<IncidentStore::Sent::Stale>(sent.what).book.version;
  EXPECT_EQ(advance("inc-1", confirm), Outcome::ok);
  EXPECT_EQ(status(), std::to_string(v1::CONFIRMED));

  auto escalate = [&](const std::string& version) {
    std::promise<IncidentStore::Sent> got;
    store.escalate("inc-1", 1, {}, {}, std::nullopt, version,
                   [&](IncidentStore::Sent s) { got.set_value(s); });
    return got.get_future().get();
  };
  auto step = [&] { return link.command({"HGET", keys.incident("inc-1"), "step"}).str; };
  EXPECT_EQ(escalate("").outcome(), Outcome::stale);
  EXPECT_EQ(step(), "") << "no step taken (absent: 0)";
  EXPECT_EQ(escalate(std::get<IncidentStore::Sent::Stale>(sent.what).book.version).outcome(),
            Outcome::ok);
  EXPECT_EQ(step(), "1");
}

TEST_F(OpenIncidentChecks, AnOpenAndAReportOnItAskRedisNothingTheyKnow) {
  // Issue 22: a command a script calls costs Redis about as much as a small write. An incident
  // just made is not evidence (touch's HEXISTS) and has no alerts yet (publish_all's LLEN); a
  // report attached reads whether it is evidence once, with its status.
  const auto before = link.calls("hexists") + link.calls("llen");
  ASSERT_EQ(open("inc-1", v1::RAID, {}, "key-1").outcome(), Outcome::ok);
  EXPECT_EQ(link.calls("hexists") + link.calls("llen"), before);
  const auto opened_ms = link.command({"ZSCORE", keys.incident_activity(), "inc-1"}).str;
  EXPECT_NE(opened_ms, "") << "its activity noted for the purge";

  v1::Report second;
  second.set_id("rep-2");
  second.set_kind(v1::RAID);
  *second.mutable_received_at() = core::now();
  std::promise<Outcome> attached;
  store.attach("inc-1", second, "op-2", {},
               [&](IncidentStore::Sent sent, int) { attached.set_value(sent.outcome()); });
  ASSERT_EQ(attached.get_future().get(), Outcome::ok);
  EXPECT_EQ(link.calls("hexists") + link.calls("llen"), before);
  EXPECT_EQ(link.integer({"LLEN", keys.incident_reports("inc-1")}), 2);
  EXPECT_NE(link.command({"ZSCORE", keys.incident_activity(), "inc-1"}).str, "");
}

TEST_F(OpenIncidentChecks, ARepeatedIdempotencyKeyAnswersWhatTheFirstRequestDidBeforeAnyCheck) {
  ASSERT_EQ(open("inc-first", v1::RAID, {}, "key-1").outcome(), Outcome::ok);
  auto sent = open(
      "inc-second", v1::RAID,
      {CorroborationQuery{300, Clock::now() - 30min}, std::string("old"), std::nullopt}, "key-1");
  EXPECT_EQ(sent.outcome(), Outcome::repeated);
  EXPECT_EQ(std::get<IncidentStore::Sent::Repeated>(sent.what).incident, "inc-first");
}

TEST_F(OpenIncidentChecks, AnOpenThatWritesNothingLeavesItsIdempotencyKeyFree) {
  // A report answered 'near' or 'stale' must find its key free when it comes again (the node
  // opens it anyway, or with the current book).
  seed("inc-raid", v1::RAID, lon_5m_east, Clock::now());
  const CorroborationQuery near{300, Clock::now() - 30min};
  ASSERT_EQ(open("inc-near", v1::RAID, {near, std::nullopt, std::nullopt}, "key-n").outcome(),
            Outcome::near);
  EXPECT_FALSE(exists(keys.idempotency("op/key-n")));
  EXPECT_EQ(open("inc-near", v1::RAID, {}, "key-n").outcome(), Outcome::ok);

  std::promise<bool> set;
  store.set_available("obs-off", Clock::now() + 1h, [&](bool ok) { set.set_value(ok); });
  ASSERT_TRUE(set.get_future().get());
  ASSERT_EQ(
      open("inc-stale", v1::CHECKPOINT, {std::nullopt, std::string(""), std::nullopt}, "key-s")
          .outcome(),
      Outcome::stale);
  EXPECT_FALSE(exists(keys.idempotency("op/key-s")));
  EXPECT_EQ(open("inc-stale", v1::CHECKPOINT, {}, "key-s").outcome(), Outcome::ok);
}

TEST_F(OpenIncidentChecks, AnIncidentIsPrunedFromItsPlacesWithoutReadingItsKind) {
  // Issue 22: the index's member names the kind ("<id> <kind>"), so the prune reads no incident.
  ASSERT_EQ(open("inc-raid", v1::RAID, {}).outcome(), Outcome::ok);
  ASSERT_EQ(open("inc-checkpoint", v1::CHECKPOINT, {}).outcome(), Outcome::ok);
  EXPECT_NE(corroborable_score("inc-raid " + std::to_string(v1::RAID)), "");
  // Both last reported two hours ago: beyond the store's 30 minutes.
  const auto old_ms = std::to_string(core::to_ms(Clock::now() - 2h));
  for (const auto& member : link.command({"ZRANGE", keys.corroborable(), "0", "-1"}).elements)
    command({"ZADD", keys.corroborable(), old_ms, member.str});

  const auto before = link.calls("hget");
  ASSERT_EQ(open("inc-next", v1::RAID, {}).outcome(), Outcome::ok);
  EXPECT_EQ(link.calls("hget"), before) << "the kind came from the index";
  EXPECT_EQ(integer({"ZCARD", keys.corroborable()}), 1) << "only the one just opened";
  EXPECT_EQ(integer({"ZCARD", keys.corroborable_places(v1::RAID)}), 1);
  EXPECT_EQ(integer({"ZCARD", keys.corroborable_places(v1::CHECKPOINT)}), 0);
}

TEST_F(OpenIncidentChecks, AnIndexOldAndNewNodesWroteIsReadAsOne) {
  // A rolling upgrade: an incident an old node opened is in the index by its id alone (seed),
  // one a new node opened by "<id> <kind>". A report on either moves its score; a move, a close
  // and the prune find either.
  const auto now = Clock::now();
  seed("inc-old", v1::RAID, lon, now - 5min);
  ASSERT_EQ(open("inc-new", v1::RAID, {}).outcome(), Outcome::ok);
  const auto new_member = "inc-new " + std::to_string(v1::RAID);

  const auto reported = now + 1s;
  ASSERT_EQ(attach("inc-old", reported), Outcome::ok);
  ASSERT_EQ(attach("inc-new", reported), Outcome::ok);
  const auto reported_ms = std::to_string(core::to_ms(reported));
  EXPECT_EQ(corroborable_score("inc-old"), reported_ms) << "a report keeps it corroborable";
  EXPECT_EQ(corroborable_score(new_member), reported_ms);
  EXPECT_EQ(integer({"ZCARD", keys.corroborable()}), 2) << "and writes no second member";

  auto move = status_change(v1::REPORTED, v1::CONFIRMED);
  move.new_location.emplace();
  move.new_location->set_lat(lat);
  move.new_location->set_lon(-118.25);
  EXPECT_EQ(advance("inc-old", move), Outcome::ok);
  EXPECT_EQ(candidate_ids(v1::RAID, now - 30min), std::vector<std::string>{"inc-new"})
      << "the old one is now where it moved to";
  EXPECT_EQ(advance("inc-new", status_change(v1::REPORTED, v1::RESOLVED)), Outcome::ok);
  EXPECT_EQ(corroborable_score(new_member), "") << "closed";

  // The old one, reported on too long ago: the prune reads its kind from the incident.
  const auto old_ms = std::to_string(core::to_ms(now - 2h));
  for (const auto& member : link.command({"ZRANGE", keys.corroborable(), "0", "-1"}).elements)
    command({"ZADD", keys.corroborable(), old_ms, member.str});
  ASSERT_EQ(open("inc-last", v1::RAID, {}).outcome(), Outcome::ok);
  EXPECT_EQ(integer({"ZCARD", keys.corroborable()}), 1) << "only the one just opened";
  EXPECT_EQ(integer({"ZCARD", keys.corroborable_places(v1::RAID)}), 1);
}

}  // namespace
}  // namespace puente::store
