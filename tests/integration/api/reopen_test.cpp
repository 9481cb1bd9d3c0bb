// Issue 20, the board's server side against real nodes: a dispatcher reopens an incident closed
// by mistake (audited, everyone alerted is told, back in the open list and corroborable); a raid
// that moved keeps the new neighborhood's name in the API and in later alerts; an update with
// bare coordinates keeps the caller's words for the place; the board learns who sent each step,
// everyone's name and role, and when the next escalation step is due.
#include "test_network.hpp"

#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

namespace puente::test {
namespace {

namespace http = boost::beast::http;

class BoardSide : public ::testing::Test {
 protected:
  TestNetwork net;
  std::unique_ptr<PuentedNode> a = net.start_node("a");
  std::unique_ptr<PuentedNode> b = net.start_node("b");

  client::HttpResponse post(PuentedNode& node, const std::string& target, const std::string& who,
                            const std::string& body = {}) {
    return node.call(http::verb::post, target, net.token(who), body);
  }

  v1::Incident incident(PuentedNode& node, const std::string& id) {
    auto response = node.call(http::verb::get, "/v1/incidents/" + id, net.token("disp"));
    EXPECT_EQ(response.status, 200u) << response.body;
    v1::Incident out;
    EXPECT_EQ(wire::from_json(response.body, out), "") << response.body;
    return out;
  }

  std::vector<std::string> open_ids(PuentedNode& node) {
    auto response = node.call(http::verb::get, "/v1/incidents", net.token("disp"));
    EXPECT_EQ(response.status, 200u) << response.body;
    v1::IncidentList list;
    EXPECT_EQ(wire::from_json(response.body, list), "") << response.body;
    std::vector<std::string> ids;
    for (const auto& i : list.incidents()) ids.push_back(i.id());
    return ids;
  }
};

TEST_F(BoardSide, ADispatcherReopensAnIncidentClosedByMistakeAndEveryoneAlertedIsTold) {
  auto observer = b->socket(net.token("obs-bh"), {"boyle-heights"});
  const auto id = open_incident(*a, net.token("op"), boyle_heights);
  ASSERT_TRUE(next_alert(*observer));  // VERIFY
  ASSERT_EQ(post(*a, "/v1/incidents/" + id + "/confirm", "disp").status, 200u);
  ASSERT_TRUE(next_alert(*observer));  // DISPATCH
  ASSERT_EQ(post(*a, "/v1/incidents/" + id + "/resolve", "disp").status, 200u);
  ASSERT_EQ(next_alert(*observer)->type(), v1::STAND_DOWN);
  EXPECT_TRUE(std::find(open_ids(*a).begin(), open_ids(*a).end(), id) == open_ids(*a).end());

  // Only whoever may close it may reopen it, never without saying why; nothing changes then.
  auto by_observer = post(*a, "/v1/incidents/" + id + "/reopen", "obs-bh", R"({"text":"no"})");
  EXPECT_EQ(by_observer.status, 403u) << by_observer.body;
  auto no_reason = post(*a, "/v1/incidents/" + id + "/reopen", "disp", "{}");
  EXPECT_EQ(no_reason.status, 400u) << no_reason.body;
  EXPECT_NE(no_reason.body.find("reason_required"), std::string::npos) << no_reason.body;
  EXPECT_EQ(incident(*b, id).status(), v1::RESOLVED);

  auto reopened = post(*a, "/v1/incidents/" + id + "/reopen", "disp",
                       R"({"text":"resolved by mistake: agents are still there"})");
  ASSERT_EQ(reopened.status, 200u) << reopened.body;
  v1::Incident answered;
  ASSERT_EQ(wire::from_json(reopened.body, answered), "");
  EXPECT_EQ(answered.status(), v1::CONFIRMED);  // it had been confirmed: back to that

  auto told = next_alert(*observer);
  ASSERT_TRUE(told);
  EXPECT_EQ(told->type(), v1::UPDATE);
  EXPECT_EQ(told->note(), "resolved by mistake: agents are still there");
  EXPECT_EQ(incident(*b, id).status(), v1::CONFIRMED);
  // Its escalation goes on: the deadline is back in the timer queue ("$-1": no such member).
  EXPECT_NE(net.redis_line("ZSCORE puente:timers " + id), "$-1")
      << "no escalation deadline for the reopened incident";
  auto open_now = open_ids(*b);
  EXPECT_TRUE(std::find(open_now.begin(), open_now.end(), id) != open_now.end());

  // Open again: a second reopen is refused, and a new report nearby joins it.
  EXPECT_EQ(post(*a, "/v1/incidents/" + id + "/reopen", "disp", R"({"text":"again"})").status,
            409u);
  auto joined =
      post(*b, "/v1/reports", "op", report_json(boyle_heights.lat + 0.0005, boyle_heights.lon));
  ASSERT_EQ(joined.status, 201u) << joined.body;  // a report, kept either way
  v1::ReportReceipt receipt;
  ASSERT_EQ(wire::from_json(joined.body, receipt), "");
  EXPECT_EQ(receipt.incident().id(), id);

  // In the audit log, by whom.
  EXPECT_TRUE(wait_until([&] {
    const auto log = a->audit_log(net.token("admin"));
    for (const auto& entry : log.entries())
      if (entry.action() == "incident.reopen" && entry.subject() == id && entry.actor() == "disp" &&
          entry.detail() == "now CONFIRMED")
        return true;
    return false;
  }));
}

TEST_F(BoardSide, AFalseAlarmNeverConfirmedReopensAsReported) {
  const auto id = open_incident(*a, net.token("op"), boyle_heights);
  ASSERT_EQ(post(*a, "/v1/incidents/" + id + "/false-alarm", "disp").status, 200u);
  auto reopened = post(*b, "/v1/incidents/" + id + "/reopen", "disp", R"({"text":"it is real"})");
  ASSERT_EQ(reopened.status, 200u) << reopened.body;
  EXPECT_EQ(incident(*a, id).status(), v1::REPORTED);
}

TEST_F(BoardSide, ARaidMovedToDowntownIsNamedDowntownInTheApiAndInLaterAlerts) {
  auto here = b->socket(net.token("obs-bh"), {"boyle-heights"});
  const auto id = open_incident(*a, net.token("op"), boyle_heights);
  ASSERT_TRUE(next_alert(*here));
  auto moved = post(*a, "/v1/incidents/" + id + "/updates", "disp",
                    R"({"text":"moved to City Hall","location":{"lat":34.0537,"lon":-118.2428}})");
  ASSERT_EQ(moved.status, 200u) << moved.body;
  auto update = next_alert(*here);
  ASSERT_TRUE(update);
  // Boyle Heights' observers are told where it is now.
  EXPECT_NE(update->text().find("Downtown"), std::string::npos) << update->text();
  EXPECT_EQ(update->text().find("Boyle Heights"), std::string::npos) << update->text();

  auto shown = incident(*b, id);
  EXPECT_EQ(shown.neighborhood(), "downtown");
  EXPECT_EQ(shown.neighborhood_name(), "Downtown");
  // A later alert, from the incident as stored, says Downtown too.
  ASSERT_EQ(post(*b, "/v1/incidents/" + id + "/resolve", "disp").status, 200u);
  auto over = next_alert(*here);
  ASSERT_TRUE(over);
  EXPECT_EQ(over->type(), v1::STAND_DOWN);
  EXPECT_NE(over->text().find("Downtown"), std::string::npos) << over->text();
}

TEST_F(BoardSide, AnUpdateWithBareCoordinatesKeepsTheCallersWordsForThePlace) {
  auto opened = post(
      *a, "/v1/reports", "op",
      R"({"kind":"RAID","location":{"lat":34.0335,"lon":-118.211,"description":"car wash on Soto"}})");
  ASSERT_EQ(opened.status, 201u) << opened.body;
  v1::ReportReceipt receipt;
  ASSERT_EQ(wire::from_json(opened.body, receipt), "");
  const auto id = receipt.incident().id();
  ASSERT_EQ(incident(*a, id).location().description(), "car wash on Soto");
  auto moved = post(*a, "/v1/incidents/" + id + "/updates", "disp",
                    R"({"text":"a block north","location":{"lat":34.0345,"lon":-118.2111}})");
  ASSERT_EQ(moved.status, 200u) << moved.body;
  auto shown = incident(*b, id);
  EXPECT_EQ(shown.location().description(), "car wash on Soto");
  EXPECT_DOUBLE_EQ(shown.location().lat(), 34.0345);
}

TEST_F(BoardSide, TheBoardLearnsWhoSentEachStepEveryonesNameAndTheNextEscalationDeadline) {
  const auto id = open_incident(*a, net.token("op"), boyle_heights);
  ASSERT_EQ(post(*a, "/v1/incidents/" + id + "/confirm", "disp").status, 200u);
  auto shown = incident(*b, id);
  // The default policy's first step: 600 s after the confirmation.
  ASSERT_TRUE(shown.has_next_escalation_at());
  EXPECT_EQ(shown.next_escalation_at().seconds() - shown.confirmed_at().seconds(), 600);
  bool dispatch_by_disp = false;
  for (const auto& alert : shown.alerts())
    if (alert.type() == v1::DISPATCH) dispatch_by_disp = alert.sent_by() == "disp";
  EXPECT_TRUE(dispatch_by_disp);
  // A responder's view names nobody who sent it.
  auto as_observer = b->call(http::verb::get, "/v1/incidents/" + id, net.token("obs-bh"));
  ASSERT_EQ(as_observer.status, 200u) << as_observer.body;
  EXPECT_EQ(as_observer.body.find("sentBy"), std::string::npos) << as_observer.body;

  // The operator, on call nowhere, is named by the roster the board reads.
  auto on_call = a->call(http::verb::get, "/v1/roster/on-call", net.token("disp"));
  ASSERT_EQ(on_call.status, 200u) << on_call.body;
  v1::OnCall roster;
  ASSERT_EQ(wire::from_json(on_call.body, roster), "");
  bool operator_named = false;
  for (const auto& r : roster.roster())
    if (r.id() == "op")
      operator_named = r.name() == "Test op" && r.roles_size() == 1 && r.roles(0) == "operator";
  EXPECT_TRUE(operator_named) << on_call.body;

  ASSERT_EQ(post(*a, "/v1/incidents/" + id + "/resolve", "disp").status, 200u);
  EXPECT_FALSE(incident(*b, id).has_next_escalation_at());
}

}  // namespace
}  // namespace puente::test
