// Which open incidents a new report is checked against, on a real Redis: only those of its kind
// reported on within the window come back, nearest first, even where many other incidents
// crowd the same spot.
#include "store/incident_store.hpp"

#include "core/clock.hpp"
#include "io_threads.hpp"
#include "redis_server.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <future>

namespace puente::store {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

// The car wash on César Chávez, and a point about 5 m east of it.
constexpr double lat = 34.0335, lon = -118.211, lon_5m_east = -118.21095;

class CorroborationCandidates : public ::testing::Test {
 protected:
  test::RedisServer redis;
  test::IoThreads io{1};
  std::shared_ptr<redis::Connection> link = [&] {
    redis::ConnectionOptions options;
    options.endpoint.port = redis.port();
    auto c = redis::Connection::create(io.executor(), options);
    c->start();
    return c;
  }();
  Keys keys{"test:"};
  IncidentStore store{link, keys};

  void SetUp() override { ASSERT_TRUE(test::wait_until([&] { return link->connected(); })); }
  void TearDown() override { link->stop(); }

  void command(std::vector<std::string> args) {
    std::promise<void> done;
    link->execute(std::move(args), [&](auto ec, const redis::Reply&) {
      EXPECT_FALSE(ec) << ec.message();
      done.set_value();
    });
    done.get_future().get();
  }

  // An open incident as the open-incident script leaves the fields the search reads.
  void seed(const std::string& id, v1::ReportKind kind, double at_lon, Clock::time_point last_report) {
    v1::Incident head;
    head.set_id(id);
    head.set_kind(kind);
    head.mutable_location()->set_lat(lat);
    head.mutable_location()->set_lon(at_lon);
    command({"HSET", keys.incident(id), "pb", head.SerializeAsString(), "status", std::to_string(v1::REPORTED),
             "kind", std::to_string(kind), "location", head.location().SerializeAsString(), "last_report_ms",
             std::to_string(core::to_ms(last_report))});
    command({"GEOADD", keys.open_incident_places(), std::to_string(at_lon), std::to_string(lat), id});
  }

  std::vector<std::string> candidate_ids(v1::ReportKind kind, Clock::time_point since) {
    v1::Location where;
    where.set_lat(lat);
    where.set_lon(lon);
    std::promise<std::vector<std::string>> got;
    store.candidates(where, 300, kind, since, [&](Outcome outcome, std::vector<Candidate> found) {
      EXPECT_EQ(outcome, Outcome::ok);
      std::vector<std::string> ids;
      for (const auto& c : found) ids.push_back(c.head.id());
      got.set_value(ids);
    });
    return got.get_future().get();
  }
};

TEST_F(CorroborationCandidates, OnlyOpenIncidentsOfTheKindReportedOnWithinTheWindowComeBack) {
  const auto now = Clock::now();
  seed("inc-raid-now", v1::RAID, lon_5m_east, now - 1min);
  seed("inc-raid-stale", v1::RAID, lon, now - 2h);
  seed("inc-checkpoint", v1::CHECKPOINT, lon, now - 1min);

  EXPECT_EQ(candidate_ids(v1::RAID, now - 30min), std::vector<std::string>{"inc-raid-now"});
  EXPECT_EQ(candidate_ids(v1::RAID, now - 3h), (std::vector<std::string>{"inc-raid-stale", "inc-raid-now"}))
      << "nearest first";
  EXPECT_EQ(candidate_ids(v1::ARREST, now - 3h), std::vector<std::string>{});
}

TEST_F(CorroborationCandidates, TheRaidIsFoundBehindThirtyOtherIncidentsOnTheSameSpot) {
  const auto now = Clock::now();
  // Thirty surveillance reports right at the car wash; the raid they may be about, 5 m away.
  for (int i = 0; i < 30; ++i) seed("inc-surveillance-" + std::to_string(i), v1::SURVEILLANCE, lon, now - 1min);
  seed("inc-raid", v1::RAID, lon_5m_east, now - 1min);

  EXPECT_EQ(candidate_ids(v1::RAID, now - 30min), std::vector<std::string>{"inc-raid"});
}

}  // namespace
}  // namespace puente::store
