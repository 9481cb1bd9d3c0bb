// The people on scene against real nodes and Redis (docs/on-scene.md), with check-ins every 3
// seconds and a grace of 3: a missed check-in alerts the dispatchers once even when a node dies,
// a second miss the attorneys too; ALL_OK and OUT_SAFE stop it. A help call, given openly or
// with the duress word, reaches the dispatchers and the attorneys and no other observer, is
// audited, and answers the sender as an ordinary ack. The quorum on scene tells the others to
// stand by, once.
#include "test_network.hpp"

#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

// Check-ins every 0.05 minutes (3 s), 3 s of grace; no escalation; one observer is a quorum.
const std::string on_scene_policy = R"(
[policy]
escalation = []
checkin_minutes = 0.05
checkin_grace_minutes = 0.05
duress_word = "lima"

[policy.quorum]
count = 1
role = "legal_observer"
state = "ON_SCENE"
)";

std::string ack_json(const v1::Alert& alert, const std::string& state,
                     const std::string& extra = {}) {
  return R"({"alertId":")" + alert.id() + R"(","incidentId":")" + alert.incident_id() +
         R"(","state":")" + state + "\"" + extra + "}";
}

class OnScene : public ::testing::Test {
 protected:
  TestNetwork net{on_scene_policy};
  std::unique_ptr<PuentedNode> a = net.start_node("a");
  std::unique_ptr<PuentedNode> b = net.start_node("b");

  // A report in Boyle Heights; the VERIFY alert its observer's socket got.
  v1::Alert verify_for(client::WsClient& observer) {
    auto response = a->call(http::verb::post, "/v1/reports", net.token("op"),
                            report_json(boyle_heights.lat, boyle_heights.lon));
    EXPECT_EQ(response.status, 201u) << response.body;
    auto alert = read_until(observer, [](const v1::ServerMessage& m) {
      return m.has_alert() && m.alert().type() == v1::VERIFY;
    });
    EXPECT_TRUE(alert);
    return alert ? alert->alert() : v1::Alert{};
  }

  void ack(PuentedNode& node, const std::string& who, const v1::Alert& alert,
           const std::string& state, const std::string& extra = {}) {
    auto answer =
        node.call(http::verb::post, "/v1/acks", net.token(who), ack_json(alert, state, extra));
    ASSERT_EQ(answer.status, 201u) << answer.body;
  }

  v1::Incident incident(PuentedNode& node, const std::string& id, const std::string& who = "disp") {
    v1::Incident out;
    auto response = node.call(http::verb::get, "/v1/incidents/" + id, net.token(who));
    EXPECT_EQ(wire::from_json(response.body, out), "") << response.body;
    return out;
  }

  static std::vector<v1::Alert> of_type(const v1::Incident& incident, v1::AlertType type) {
    std::vector<v1::Alert> out;
    for (const auto& alert : incident.alerts())
      if (alert.type() == type) out.push_back(alert);
    return out;
  }

  // No check-in deadline left, claimed or not.
  bool checkins_done() {
    return net.redis_integer("ZCARD puente:checkins") == 0 &&
           net.redis_integer("ZCARD puente:checkins:leased") == 0;
  }

  // The board's events named `what` over `wait`.
  static std::vector<v1::IncidentEvent> board_events(client::WsClient& board,
                                                     const std::string& what,
                                                     std::chrono::milliseconds wait) {
    std::vector<v1::IncidentEvent> seen;
    const auto until = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < until) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      auto m = read_until(
          board,
          [&](const v1::ServerMessage& m) {
            return m.has_incident() && m.incident().what() == what;
          },
          std::max(left, 1ms));
      if (!m) break;
      seen.push_back(m->incident());
    }
    return seen;
  }
};

TEST_F(OnScene, AMissedCheckInAlertsTheDispatchersOnceEvenWhenTheNodeThatTookTheAckDies) {
  auto observer = b->socket(net.token("obs-bh"), {"boyle-heights"});
  auto board = b->socket(net.token("disp"), {}, true);
  auto verify = verify_for(*observer);
  ack(*a, "obs-bh", verify, "ON_SCENE");
  a->process().kill_now();  // the deadline lives in Redis: node b takes it

  // Asked after 3 s; unanswered, the dispatchers hear of it 3 s later, the attorneys 3 s after.
  auto asked = read_until(*observer, [](const v1::ServerMessage& m) {
    return m.has_alert() && m.alert().type() == v1::CHECK_IN;
  });
  ASSERT_TRUE(asked);
  EXPECT_EQ(asked->alert().about_responder_id(), "obs-bh");
  auto missed = board_events(*board, "check_in_missed", 12s);
  ASSERT_TRUE(wait_until([&] { return checkins_done(); }));

  int first = 0, second = 0;
  for (const auto& e : missed) (e.alert().missed_check_ins() == 1 ? first : second)++;
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 1);
  auto shown = of_type(incident(*b, verify.incident_id()), v1::CHECK_IN_MISSED);
  ASSERT_EQ(shown.size(), 2u);
  for (const auto& alert : shown) {
    EXPECT_EQ(alert.about_responder_id(), "obs-bh");
    std::set<std::string> to(alert.recipients().begin(), alert.recipients().end());
    EXPECT_TRUE(to.contains("disp"));
    // The attorneys of the neighborhood only at the second miss; never another observer.
    EXPECT_EQ(to.contains("att-bh"), alert.missed_check_ins() == 2);
    EXPECT_FALSE(to.contains("obs-bh"));
  }
}

TEST_F(OnScene, AllOkAndOutSafeStopIt) {
  b.reset();
  auto observer = a->socket(net.token("obs-bh"), {"boyle-heights"});
  auto board = a->socket(net.token("disp"), {}, true);
  auto verify = verify_for(*observer);
  ack(*a, "obs-bh", verify, "ON_SCENE");

  auto is_check_in = [](const v1::ServerMessage& m) {
    return m.has_alert() && m.alert().type() == v1::CHECK_IN;
  };
  auto asked = read_until(*observer, is_check_in);
  ASSERT_TRUE(asked);
  ack(*a, "obs-bh", asked->alert(), "ALL_OK");  // the next ask is 3 s from now
  auto again = read_until(*observer, is_check_in);
  ASSERT_TRUE(again);
  EXPECT_NE(again->alert().id(), asked->alert().id());
  ack(*a, "obs-bh", again->alert(), "OUT_SAFE");
  ASSERT_TRUE(wait_until([&] { return checkins_done(); }));

  // Longer than an ask and two graces: nothing more comes.
  EXPECT_TRUE(board_events(*board, "check_in_missed", 8s).empty());
  auto shown = incident(*a, verify.incident_id());
  EXPECT_TRUE(of_type(shown, v1::CHECK_IN_MISSED).empty());
  EXPECT_EQ(of_type(shown, v1::CHECK_IN).size(), 2u);
}

TEST_F(OnScene, AHelpCallReachesDispatchersAndAttorneysNotOtherObserversAndIsAudited) {
  auto sender = a->socket(net.token("obs-bh"), {"boyle-heights"});
  auto attorney = b->socket(net.token("att-bh"), {"boyle-heights"});
  auto volunteer = b->socket(net.token("vol-bh"), {"boyle-heights"});
  auto board = b->socket(net.token("disp"), {}, true);
  auto verify = verify_for(*sender);
  const auto id = verify.incident_id();
  ASSERT_EQ(a->call(http::verb::post, "/v1/incidents/" + id + "/confirm", net.token("disp")).status,
            200u);
  ack(*a, "obs-bh", verify, "EN_ROUTE", R"(,"location":{"lat":34.0341,"lon":-118.2102})");
  ack(*a, "obs-bh", verify, "NEED_HELP");

  auto help = read_until(*attorney, [](const v1::ServerMessage& m) {
    return m.has_alert() && m.alert().type() == v1::HELP_CALL;
  });
  ASSERT_TRUE(help);
  EXPECT_EQ(help->alert().about_responder_id(), "obs-bh");
  EXPECT_DOUBLE_EQ(help->alert().location().lat(), 34.0341);  // their last shared location
  auto on_board = board_events(*board, "help_call", 5s);
  EXPECT_EQ(on_board.size(), 1u);

  // The other observer's socket gets the dispatch and nothing of the help call.
  EXPECT_FALSE(read_until(
      *volunteer,
      [](const v1::ServerMessage& m) { return m.has_alert() && m.alert().type() == v1::HELP_CALL; },
      2s));
  auto seen_by_volunteer = incident(*b, id, "vol-bh");
  EXPECT_TRUE(of_type(seen_by_volunteer, v1::HELP_CALL).empty());
  for (const auto& a : seen_by_volunteer.acks()) {
    EXPECT_NE(a.state(), v1::NEED_HELP);
    EXPECT_FALSE(a.has_location());
  }
  auto seen_by_sender = incident(*b, id, "obs-bh");
  EXPECT_TRUE(of_type(seen_by_sender, v1::HELP_CALL).empty());

  ASSERT_TRUE(wait_until([&] {
    const auto log = a->audit_log(net.token("admin"));
    for (const auto& entry : log.entries())
      if (entry.action() == "help.call" && entry.subject() == id && entry.actor() == "obs-bh")
        return entry.detail().starts_with("direct");
    return false;
  }));
}

TEST_F(OnScene, TheDuressWordRaisesAHelpCallAndAnswersAsAnOrdinaryAck) {
  auto sender = a->socket(net.token("obs-bh"), {"boyle-heights"});
  auto attorney = b->socket(net.token("att-bh"), {"boyle-heights"});
  auto verify = verify_for(*sender);
  auto answer = a->call(http::verb::post, "/v1/acks", net.token("obs-bh"),
                        ack_json(verify, "ON_SCENE", R"(,"note":"Lima")"));
  ASSERT_EQ(answer.status, 201u) << answer.body;
  v1::Ack answered;
  ASSERT_EQ(wire::from_json(answer.body, answered), "") << answer.body;
  EXPECT_EQ(answered.state(), v1::ON_SCENE);  // what they sent, as any ack is answered
  EXPECT_EQ(answered.note(), "Lima");

  auto help = read_until(*attorney, [](const v1::ServerMessage& m) {
    return m.has_alert() && m.alert().type() == v1::HELP_CALL;
  });
  ASSERT_TRUE(help);
  EXPECT_EQ(help->alert().about_responder_id(), "obs-bh");
  // Kept without the word: nobody reading the incident learns it.
  const auto shown = incident(*b, verify.incident_id());
  for (const auto& kept : shown.acks()) EXPECT_NE(kept.note(), "Lima");
  ASSERT_TRUE(wait_until([&] {
    const auto log = a->audit_log(net.token("admin"));
    for (const auto& entry : log.entries())
      if (entry.action() == "help.call" && entry.subject() == verify.incident_id())
        return entry.detail().starts_with("duress");
    return false;
  }));
}

TEST_F(OnScene, TheQuorumOnSceneTellsTheOthersToStandByOnce) {
  auto observer = a->socket(net.token("obs-bh"), {"boyle-heights"});
  auto volunteer = b->socket(net.token("vol-bh"), {"boyle-heights"});
  auto verify = verify_for(*observer);
  const auto id = verify.incident_id();
  ASSERT_EQ(a->call(http::verb::post, "/v1/incidents/" + id + "/confirm", net.token("disp")).status,
            200u);
  auto dispatch = read_until(*volunteer, [](const v1::ServerMessage& m) {
    return m.has_alert() && m.alert().type() == v1::DISPATCH;
  });
  ASSERT_TRUE(dispatch);
  ack(*a, "obs-bh", verify, "ON_SCENE");  // the quorum: one observer

  auto stand_by = read_until(*volunteer, [](const v1::ServerMessage& m) {
    return m.has_alert() && m.alert().type() == v1::STAND_BY;
  });
  ASSERT_TRUE(stand_by);
  // Another arrival changes nothing: it went once.
  ack(*b, "vol-bh", dispatch->alert(), "ON_SCENE");
  std::this_thread::sleep_for(1s);
  auto sent = of_type(incident(*b, id), v1::STAND_BY);
  ASSERT_EQ(sent.size(), 1u);
  std::set<std::string> to(sent[0].recipients().begin(), sent[0].recipients().end());
  EXPECT_TRUE(to.contains("vol-bh"));
  EXPECT_TRUE(to.contains("att-bh"));
  EXPECT_FALSE(to.contains("obs-bh"));  // there already
  // Still called in by a dispatcher: an update goes to everyone alerted, them too.
  ASSERT_EQ(b->call(http::verb::post, "/v1/incidents/" + id + "/updates", net.token("disp"),
                    R"({"text":"we need more people"})")
                .status,
            200u);
  auto update = read_until(*volunteer, [](const v1::ServerMessage& m) {
    return m.has_alert() && m.alert().type() == v1::UPDATE;
  });
  EXPECT_TRUE(update);
}

}  // namespace
}  // namespace puente::test
