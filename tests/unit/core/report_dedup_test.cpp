// Report dedup: which open incident a new report corroborates, and independent reporters.

#include "core/report_dedup.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

namespace puente::core {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

// Mariachi Plaza, Boyle Heights. At LA's latitude 0.001 degrees of latitude is about 111 m and
// 0.001 degrees of longitude about 92 m.
constexpr GeoPoint kMariachiPlaza{34.0472, -118.2195};
const Clock::time_point kNine = Clock::time_point{} + 1'800'000'000s;

GeoPoint north_of(GeoPoint p, double meters) { return {p.lat + meters / 111'195.0, p.lon}; }

OpenIncident incident(const std::string& id, v1::ReportKind kind, GeoPoint where,
                      Clock::time_point created, Clock::time_point last_report) {
  return OpenIncident{id, kind, where, created, last_report};
}

const DedupRule kRule{300, 30min};

std::string matched(const IncomingReport& report, const std::vector<OpenIncident>& open,
                    const DedupRule& rule = kRule) {
  const OpenIncident* found = find_corroborated(report, open, rule);
  return found ? found->id : "(new)";
}

TEST(Haversine, KnownDistances) {
  EXPECT_NEAR(haversine_meters({0, 0}, {1, 0}), 111'195.08, 0.1);  // one degree of a meridian
  EXPECT_NEAR(haversine_meters(kMariachiPlaza, north_of(kMariachiPlaza, 250)), 250, 0.01);
  EXPECT_EQ(haversine_meters(kMariachiPlaza, kMariachiPlaza), 0);
  // LA City Hall to Union Station, about 640 m.
  EXPECT_NEAR(haversine_meters({34.0537, -118.2428}, {34.0561, -118.2365}), 630, 40);
  // Antipodes: half the circumference, no NaN from rounding.
  EXPECT_NEAR(haversine_meters({0, 0}, {0, 180}), std::numbers::pi * 6'371'008.8, 1);
}

TEST(Dedup, SameKindNearAndRecentAttaches) {
  const std::vector<OpenIncident> open = {
      incident("inc-1", v1::RAID, kMariachiPlaza, kNine, kNine + 5min)};
  EXPECT_EQ(matched({v1::RAID, north_of(kMariachiPlaza, 120), kNine + 20min}, open), "inc-1");
}

TEST(Dedup, DifferentKindOpensANewIncident) {
  const std::vector<OpenIncident> open = {
      incident("inc-1", v1::RAID, kMariachiPlaza, kNine, kNine)};
  EXPECT_EQ(matched({v1::CHECKPOINT, kMariachiPlaza, kNine + 1min}, open), "(new)");
  EXPECT_EQ(matched({v1::REPORT_KIND_UNSPECIFIED, kMariachiPlaza, kNine}, open), "(new)");
}

TEST(Dedup, FarOpensANewIncident) {
  const std::vector<OpenIncident> open = {
      incident("inc-1", v1::RAID, kMariachiPlaza, kNine, kNine)};
  EXPECT_EQ(matched({v1::RAID, north_of(kMariachiPlaza, 299), kNine}, open), "inc-1");
  EXPECT_EQ(matched({v1::RAID, north_of(kMariachiPlaza, 301), kNine}, open), "(new)");
}

TEST(Dedup, OldOpensANewIncidentAndTheWindowRunsFromTheLatestReport) {
  const std::vector<OpenIncident> open = {
      incident("inc-1", v1::RAID, kMariachiPlaza, kNine, kNine + 25min)};
  EXPECT_EQ(matched({v1::RAID, kMariachiPlaza, kNine + 55min}, open), "inc-1");  // edge: 30 min
  EXPECT_EQ(matched({v1::RAID, kMariachiPlaza, kNine + 55min + 1s}, open), "(new)");
  // An incident with no later report: the window runs from its creation.
  const std::vector<OpenIncident> fresh = {
      incident("inc-2", v1::RAID, kMariachiPlaza, kNine, Clock::time_point{})};
  EXPECT_EQ(matched({v1::RAID, kMariachiPlaza, kNine + 30min}, fresh), "inc-2");
  EXPECT_EQ(matched({v1::RAID, kMariachiPlaza, kNine + 31min}, fresh), "(new)");
}

TEST(Dedup, AReportStampedBeforeTheLatestStillAttaches) {
  // Nodes' clocks differ by a little: a report may carry a time before the latest one.
  const std::vector<OpenIncident> open = {
      incident("inc-1", v1::ARREST, kMariachiPlaza, kNine, kNine + 10min)};
  EXPECT_EQ(matched({v1::ARREST, kMariachiPlaza, kNine + 9min}, open), "inc-1");
}

TEST(Dedup, NearestWins) {
  const std::vector<OpenIncident> open = {
      incident("inc-far", v1::RAID, north_of(kMariachiPlaza, 250), kNine, kNine),
      incident("inc-near", v1::RAID, north_of(kMariachiPlaza, -100), kNine, kNine),
      incident("inc-other-kind", v1::PATROL, kMariachiPlaza, kNine, kNine),
  };
  EXPECT_EQ(matched({v1::RAID, kMariachiPlaza, kNine + 1min}, open), "inc-near");
}

TEST(Dedup, TiesGoToTheMostRecentThenTheLowestId) {
  const std::vector<OpenIncident> recent = {
      incident("inc-a", v1::RAID, kMariachiPlaza, kNine, kNine),
      incident("inc-b", v1::RAID, kMariachiPlaza, kNine, kNine + 2min),
  };
  EXPECT_EQ(matched({v1::RAID, kMariachiPlaza, kNine + 3min}, recent), "inc-b");
  const std::vector<OpenIncident> same = {
      incident("inc-b", v1::RAID, kMariachiPlaza, kNine, kNine),
      incident("inc-a", v1::RAID, kMariachiPlaza, kNine, kNine),
  };
  EXPECT_EQ(matched({v1::RAID, kMariachiPlaza, kNine + 3min}, same), "inc-a");
}

TEST(Dedup, NoOpenIncidentsOrBadCoordinatesMeanNew) {
  EXPECT_EQ(matched({v1::RAID, kMariachiPlaza, kNine}, {}), "(new)");
  const std::vector<OpenIncident> open = {
      incident("inc-1", v1::RAID, kMariachiPlaza, kNine, kNine)};
  EXPECT_EQ(matched({v1::RAID, {std::nan(""), -118.2}, kNine}, open), "(new)");
}

TEST(Dedup, TheRuleIsTheCallers) {
  const std::vector<OpenIncident> open = {
      incident("inc-1", v1::RAID, kMariachiPlaza, kNine, kNine)};
  const IncomingReport report{v1::RAID, north_of(kMariachiPlaza, 800), kNine + 50min};
  EXPECT_EQ(matched(report, open), "(new)");
  EXPECT_EQ(matched(report, open, DedupRule{1000, 1h}), "inc-1");
}

TEST(IndependentReporters, CountsDistinctNonEmptyIds) {
  EXPECT_EQ(independent_reporters({}), 0u);
  EXPECT_EQ(independent_reporters({"op-carmen", "obs-maria", "op-carmen", "", "vol-ana"}), 3u);
  EXPECT_EQ(independent_reporters({""}), 0u);
}

// Issue 20: reporters are callers, not the desks that log them.
Responder with_roles(std::string id, std::vector<Role> roles) {
  Responder r;
  r.id = std::move(id);
  r.roles = std::move(roles);
  return r;
}

v1::Report report_of(std::string id, std::string caller_hash = {}) {
  v1::Report report;
  report.set_id(std::move(id));
  report.set_caller_hash(std::move(caller_hash));
  return report;
}

TEST(ReporterIdentity, ACallerWithANumberIsOneReporterAtEveryDesk) {
  const auto carmen = with_roles("op-carmen", {Role::operator_});
  const auto luis = with_roles("disp-luis", {Role::dispatcher});
  const std::string hash(64, 'a');
  const auto first = reporter_identity(report_of("rep-1", hash), carmen);
  EXPECT_EQ(first, reporter_identity(report_of("rep-2", hash), luis));
  EXPECT_NE(first, reporter_identity(report_of("rep-3", std::string(64, 'b')), carmen));
  // Not the hash itself: the set of reporters joins to no report's caller_hash.
  EXPECT_EQ(first.find(hash), std::string::npos) << first;
}

TEST(ReporterIdentity, EachCallWithoutANumberIsAnotherCaller) {
  const auto carmen = with_roles("op-carmen", {Role::operator_});
  const auto admin = with_roles("admin", {Role::admin});
  EXPECT_NE(reporter_identity(report_of("rep-1"), carmen),
            reporter_identity(report_of("rep-2"), carmen));
  EXPECT_NE(reporter_identity(report_of("rep-1"), admin),
            reporter_identity(report_of("rep-2"), admin));
}

TEST(ReporterIdentity, AnObserverReportingWhatTheySeeIsOneReporterHoweverOften) {
  const auto maria = with_roles("obs-maria", {Role::legal_observer});
  EXPECT_EQ(reporter_identity(report_of("rep-1"), maria),
            reporter_identity(report_of("rep-2"), maria));
  EXPECT_NE(reporter_identity(report_of("rep-1"), maria),
            reporter_identity(report_of("rep-1"), with_roles("obs-ana", {Role::legal_observer})));
}

}  // namespace
}  // namespace puente::core
