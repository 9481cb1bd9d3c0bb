// Planted reports (issue 19 item 4), against real nodes and Redis: past a neighborhood's cap of
// new unverified incidents ([policy] unverified_cap) a report is kept, its incident held: no
// alert reaches an observer, no one but dispatchers sees it, the board hears of it; a
// dispatcher's approval sends its alert (a second approval changes nothing), and a confirm
// settles one too. Each report records where it came from (the API or a WebSocket, the sender's
// roles, a journal replay), whatever the client claimed, and only dispatchers see it.
#include "test_network.hpp"

#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

const std::string cap_of_two = "[policy]\nunverified_cap = 2\nunverified_window_seconds = 3600\n";

class PlantedReports : public ::testing::Test {
 protected:
  TestNetwork net{cap_of_two};
  std::unique_ptr<PuentedNode> a = net.start_node("a");

  v1::ReportReceipt report(Place where, const std::string& token, const std::string& extra = {}) {
    auto response = a->call(http::verb::post, "/v1/reports", token,
                            report_json(where.lat, where.lon, "RAID", extra));
    EXPECT_EQ(response.status, 201u) << response.body;
    v1::ReportReceipt receipt;
    EXPECT_EQ(wire::from_json(response.body, receipt), "") << response.body;
    return receipt;
  }
  client::HttpResponse get(const std::string& id, const std::string& who) {
    return a->call(http::verb::get, "/v1/incidents/" + id, net.token(who));
  }
  v1::Incident incident(const std::string& id, const std::string& who = "disp") {
    auto response = get(id, who);
    EXPECT_EQ(response.status, 200u) << response.body;
    v1::Incident out;
    EXPECT_EQ(wire::from_json(response.body, out), "") << response.body;
    return out;
  }
  client::HttpResponse act(const std::string& id, const std::string& action,
                           const std::string& who = "disp") {
    return a->call(http::verb::post, "/v1/incidents/" + id + "/" + action, net.token(who));
  }
  bool listed(const std::string& id, const std::string& who) {
    v1::IncidentList list;
    EXPECT_EQ(wire::from_json(a->call(http::verb::get, "/v1/incidents", net.token(who)).body, list),
              "");
    for (const auto& i : list.incidents())
      if (i.id() == id) return true;
    return false;
  }
};

TEST_F(PlantedReports, PastTheCapAnIncidentIsHeldUntilADispatcherApprovesIt) {
  auto observer = a->socket(net.token("obs-bh"), {"boyle-heights"});
  auto board = a->socket(net.token("disp"), {}, true);
  for (int i = 0; i < 2; ++i) {
    const auto id = report(boyle_heights_spot(i), net.token("op")).incident().id();
    auto verify = next_alert(*observer);
    ASSERT_TRUE(verify) << "report " << i << " is within the cap";
    EXPECT_EQ(verify->incident_id(), id);
  }

  // The third is kept, and held: the dispatchers see it and hear of it, nobody else.
  const auto held = report(boyle_heights_spot(2), net.token("op"));
  const auto id = held.incident().id();
  ASSERT_FALSE(id.empty());
  EXPECT_FALSE(held.incident().has_held_at()) << "the operator is not told of the cap";
  EXPECT_EQ(held.incident().alerts_size(), 0);
  auto event = read_until(*board, [&](const v1::ServerMessage& m) {
    return m.has_incident() && m.incident().incident_id() == id;
  });
  ASSERT_TRUE(event);
  EXPECT_EQ(event->incident().what(), "held");
  EXPECT_FALSE(event->incident().has_alert());
  auto shown = incident(id);
  EXPECT_TRUE(shown.has_held_at());
  EXPECT_EQ(shown.alerts_size(), 0);
  ASSERT_EQ(shown.reports_size(), 1);
  EXPECT_FALSE(next_alert(*observer, 500ms)) << "a held incident alerted an observer";
  EXPECT_EQ(get(id, "obs-bh").status, 404u);
  EXPECT_FALSE(listed(id, "obs-bh"));
  EXPECT_TRUE(listed(id, "disp"));

  // Only a dispatcher approves; the alert goes out then, once.
  EXPECT_EQ(act(id, "approve", "obs-bh").status, 403u);
  EXPECT_EQ(act(id, "approve", "op").status, 403u);
  auto approved = act(id, "approve");
  ASSERT_EQ(approved.status, 200u) << approved.body;
  v1::Incident after;
  ASSERT_EQ(wire::from_json(approved.body, after), "");
  EXPECT_FALSE(after.has_held_at());
  EXPECT_EQ(after.approved_by(), "disp");
  ASSERT_EQ(after.alerts_size(), 1);
  EXPECT_EQ(after.alerts(0).type(), v1::VERIFY);
  auto verify = next_alert(*observer);
  ASSERT_TRUE(verify);
  EXPECT_EQ(verify->incident_id(), id);
  EXPECT_EQ(get(id, "obs-bh").status, 200u);
  auto again = act(id, "approve");
  EXPECT_EQ(again.status, 409u) << again.body;
  EXPECT_EQ(incident(id).alerts_size(), 1);

  // Audited (the trail writes behind the answer).
  EXPECT_TRUE(wait_until([&] {
    const auto log = a->audit_log(net.token("admin"));
    return std::any_of(log.entries().begin(), log.entries().end(), [&](const auto& e) {
      return e.action() == "incident.approve" && e.subject() == id && e.actor() == "disp";
    });
  }));
}

TEST_F(PlantedReports, AConfirmSettlesAHeldIncidentAndTheCapIsPerNeighborhood) {
  auto observer = a->socket(net.token("obs-bh"), {"boyle-heights"});
  auto downtown_observer = a->socket(net.token("obs-dt"), {"downtown"});
  report(boyle_heights_spot(0), net.token("op"));
  report(boyle_heights_spot(1), net.token("op"));
  const auto id = report(boyle_heights_spot(2), net.token("op")).incident().id();
  ASSERT_TRUE(incident(id).has_held_at());
  // Another neighborhood has a cap of its own.
  report(downtown, net.token("op"));
  auto elsewhere = next_alert(*downtown_observer);
  ASSERT_TRUE(elsewhere);
  EXPECT_EQ(elsewhere->neighborhood(), "downtown");

  ASSERT_EQ(act(id, "confirm").status, 200u);
  auto dispatch = read_until(*observer, [&](const v1::ServerMessage& m) {
    return m.has_alert() && m.alert().incident_id() == id;
  });
  ASSERT_TRUE(dispatch);
  EXPECT_EQ(dispatch->alert().type(), v1::DISPATCH);
  EXPECT_FALSE(incident(id).has_held_at());
  EXPECT_EQ(act(id, "approve").status, 409u);
}

TEST(ReportSources, EachReportSaysWhereItCameFromToDispatchersOnly) {
  TestNetwork net;
  auto a = net.start_node("a");
  auto incident = [&](const std::string& id, const std::string& who) {
    v1::Incident out;
    auto response = a->call(http::verb::get, "/v1/incidents/" + id, net.token(who));
    EXPECT_EQ(wire::from_json(response.body, out), "") << response.body;
    return out;
  };

  // The API, with a client claiming to be a replayed socket report: the server's word wins.
  auto by_api = a->call(http::verb::post, "/v1/reports", net.token("op"),
                        report_json(boyle_heights.lat, boyle_heights.lon, "RAID",
                                    R"("source":"REPORT_SOURCE_WEBSOCKET","replayed":true,)"
                                    R"("reporterRoles":["dispatcher"])"));
  ASSERT_EQ(by_api.status, 201u) << by_api.body;
  v1::ReportReceipt api_receipt;
  ASSERT_EQ(wire::from_json(by_api.body, api_receipt), "");
  const auto id = api_receipt.incident().id();

  // A WebSocket, by an observer: it corroborates the same incident.
  auto socket = a->socket(net.token("obs-bh"), {"boyle-heights"});
  v1::ClientMessage message;
  message.set_request_id("report-1");
  message.mutable_report()->set_kind(v1::RAID);
  message.mutable_report()->mutable_location()->set_lat(boyle_heights.lat);
  message.mutable_report()->mutable_location()->set_lon(boyle_heights.lon);
  socket->send(message);
  auto accepted =
      read_until(*socket, [](const v1::ServerMessage& m) { return m.request_id() == "report-1"; });
  ASSERT_TRUE(accepted && accepted->has_report_accepted())
      << (accepted ? wire::to_json(*accepted) : "no answer");
  EXPECT_EQ(accepted->report_accepted().report().source(), v1::REPORT_SOURCE_UNSPECIFIED)
      << "an observer's own answer carries no source";

  // Journaled while Redis is away, replayed once it is back.
  net.redis().stop();
  ASSERT_TRUE(wait_until([&] { return a->call(http::verb::get, "/readyz", "").status == 503; }));
  ASSERT_EQ(a->call(http::verb::post, "/v1/reports", net.token("op"),
                    report_json(boyle_heights.lat, boyle_heights.lon))
                .status,
            202u);
  net.redis().restart();
  ASSERT_TRUE(wait_until([&] {
    auto response = a->call(http::verb::get, "/v1/incidents/" + id, net.token("disp"));
    v1::Incident now;
    return response.status == 200 && wire::from_json(response.body, now).empty() &&
           now.reports_size() == 3;
  }));

  const auto shown = incident(id, "disp");
  ASSERT_EQ(shown.reports_size(), 3);
  const auto& api = shown.reports(0);
  EXPECT_EQ(api.source(), v1::REPORT_SOURCE_API);
  EXPECT_EQ(std::vector<std::string>(api.reporter_roles().begin(), api.reporter_roles().end()),
            std::vector<std::string>{"operator"});
  EXPECT_FALSE(api.replayed());
  const auto& ws = shown.reports(1);
  EXPECT_EQ(ws.reporter_id(), "obs-bh");
  EXPECT_EQ(ws.source(), v1::REPORT_SOURCE_WEBSOCKET);
  EXPECT_EQ(std::vector<std::string>(ws.reporter_roles().begin(), ws.reporter_roles().end()),
            std::vector<std::string>{"legal_observer"});
  EXPECT_FALSE(ws.replayed());
  const auto& replayed = shown.reports(2);
  EXPECT_EQ(replayed.source(), v1::REPORT_SOURCE_API);
  EXPECT_TRUE(replayed.replayed());

  // An observer covering the neighborhood sees the reports, not where they came from.
  const auto seen = incident(id, "obs-bh");
  ASSERT_EQ(seen.reports_size(), 3);
  for (const auto& r : seen.reports()) {
    EXPECT_EQ(r.source(), v1::REPORT_SOURCE_UNSPECIFIED);
    EXPECT_EQ(r.reporter_roles_size(), 0);
    EXPECT_FALSE(r.replayed());
  }
}

}  // namespace
}  // namespace puente::test
