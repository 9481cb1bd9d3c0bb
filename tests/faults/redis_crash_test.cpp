// kill -9 Redis in the middle of a stream of reports, restart it a little later: every report
// the node accepted (201 stored, or 202 queued in its journal) becomes an incident, and every
// one reaches the observer on the other node once.
#include "test_network.hpp"

#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <thread>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

TEST(RedisCrash, NoAcceptedReportIsMissingAfterRedisIsKilledMidStream) {
  TestNetwork net;
  auto a = net.start_node("a");
  auto b = net.start_node("b");
  auto observer = b->socket(net.token("obs-bh"), {"boyle-heights"});

  // Distinct (spot, kind) pairs: no report corroborates another, each is its own incident.
  const char* kinds[] = {"RAID", "CHECKPOINT", "ARREST", "PATROL", "SURVEILLANCE", "OTHER"};
  constexpr int reports = 36;
  int accepted = 0, queued = 0, refused = 0;
  for (int i = 0; i < reports; ++i) {
    if (i == reports / 3) net.redis().kill();
    if (i == 2 * reports / 3) net.redis().restart();
    auto spot = boyle_heights_spot(i % 12);
    auto response = a->call(http::verb::post, "/v1/reports", net.token("op"),
                            report_json(spot.lat, spot.lon, kinds[(i / 12) % 6]));
    if (response.status == 201)
      ++accepted;
    else if (response.status == 202)
      ++queued;
    else
      ++refused;
  }
  EXPECT_EQ(refused, 0);
  EXPECT_GT(queued, 0);  // some came while Redis was down

  // The journal drains once Redis is back.
  ASSERT_TRUE(wait_until([&] { return a->call(http::verb::get, "/readyz", "").status == 200; }));
  v1::IncidentList open;
  ASSERT_TRUE(wait_until([&] {
    open.Clear();
    return wire::from_json(a->call(http::verb::get, "/v1/incidents", net.token("disp")).body, open)
               .empty() &&
           open.incidents_size() >= accepted + queued;
  }));

  std::set<std::string> alerted;
  int duplicated = 0;
  while (static_cast<int>(alerted.size()) < accepted + queued) {
    auto alert = next_alert(*observer);
    if (!alert) break;
    if (!alerted.insert(alert->incident_id()).second) ++duplicated;
  }
  int missing = accepted + queued - static_cast<int>(alerted.size());
  std::printf(
      "redis crash: accepted %d (%d stored, %d queued), delivered %zu, missing %d, duplicated %d\n",
      accepted + queued, accepted, queued, alerted.size(), missing, duplicated);
  EXPECT_EQ(open.incidents_size(), accepted + queued);
  EXPECT_EQ(missing, 0);
  EXPECT_EQ(duplicated, 0);
}

}  // namespace
}  // namespace puente::test
