// The spine, end to end across two real nodes sharing one real Redis: a report posted to
// node A becomes a VERIFY alert on an observer's socket on node B; acks, confirm, false alarm
// and resolve each do what DESIGN.md says, and the incident shows all of it. Each test runs
// twice: on one Redis (SingleRedis/) and on a Redis Cluster of three primaries and three
// replicas (Cluster/, issue 23), the network's keys under one hash tag.
#include "cluster_config.hpp"
#include "cluster_scripts.hpp"
#include "test_network.hpp"

#include "core/stream_offset.hpp"
#include "puente/v1/json.hpp"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

// true: on a Redis Cluster.
class Spine : public ::testing::TestWithParam<bool> {
 protected:
  std::unique_ptr<RedisCluster> cluster = GetParam() ? std::make_unique<RedisCluster>() : nullptr;
  TestNetwork net{"", "", cluster ? cluster_redis_lines(*cluster) : ""};
  // On a cluster, which scripts ran there: the network's incidents are on the cluster, not on
  // the harness's own Redis.
  void TearDown() override {
    if (!cluster) return;
    const auto ran = scripts_run_on_cluster(*cluster);
    EXPECT_NE(std::find(ran.begin(), ran.end(), "open_incident"), ran.end())
        << "no report reached the cluster";
  }
  std::unique_ptr<PuentedNode> a = net.start_node("a");
  std::unique_ptr<PuentedNode> b = net.start_node("b");

  v1::ReportReceipt report(PuentedNode& node, Place where, const std::string& kind = "RAID") {
    auto response = node.call(http::verb::post, "/v1/reports", net.token("op"),
                              report_json(where.lat, where.lon, kind));
    EXPECT_EQ(response.status, 201u) << response.body;
    v1::ReportReceipt receipt;
    EXPECT_EQ(wire::from_json(response.body, receipt), "");
    return receipt;
  }

  v1::Incident incident(PuentedNode& node, const std::string& id, const std::string& who = "disp") {
    auto response = node.call(http::verb::get, "/v1/incidents/" + id, net.token(who));
    EXPECT_EQ(response.status, 200u) << response.body;
    v1::Incident out;
    EXPECT_EQ(wire::from_json(response.body, out), "");
    return out;
  }

  client::HttpResponse step(PuentedNode& node, const std::string& id, const std::string& action,
                            const std::string& who = "disp", const std::string& body = {}) {
    return node.call(http::verb::post, "/v1/incidents/" + id + "/" + action, net.token(who), body);
  }

  v1::Ack ack_over_socket(client::WsClient& socket, const v1::Alert& alert, v1::AckState state) {
    v1::ClientMessage message;
    message.set_request_id("ack-" + v1::AckState_Name(state));
    message.mutable_ack()->set_alert_id(alert.id());
    message.mutable_ack()->set_incident_id(alert.incident_id());
    message.mutable_ack()->set_state(state);
    socket.send(message);
    auto answer = read_until(
        socket, [&](const v1::ServerMessage& m) { return m.request_id() == message.request_id(); });
    EXPECT_TRUE(answer && answer->has_ack_accepted())
        << (answer ? wire::to_json(*answer) : "no answer");
    return answer ? answer->ack_accepted() : v1::Ack{};
  }
};

TEST_P(Spine, AReportOnOneNodeIsAVerifyAlertOnAnotherNodesObserver) {
  auto observer = b->socket(net.token("obs-bh"), {"boyle-heights"});
  auto receipt = report(*a, boyle_heights);
  EXPECT_EQ(receipt.incident().neighborhood(), "boyle-heights");
  EXPECT_EQ(receipt.incident().status(), v1::REPORTED);
  EXPECT_FALSE(receipt.incident().id().empty());

  auto alert = next_alert(*observer);
  ASSERT_TRUE(alert);
  EXPECT_EQ(alert->type(), v1::VERIFY);
  EXPECT_EQ(alert->incident_id(), receipt.incident().id());
  EXPECT_EQ(alert->neighborhood(), "boyle-heights");
  EXPECT_FALSE(alert->offset().empty());
  EXPECT_NE(alert->text().find("Boyle Heights"), std::string::npos);
}

TEST_P(Spine, VerifyReachesLegalObserversOnlyAndOnlyOfThatNeighborhood) {
  auto volunteer = b->socket(net.token("vol-bh"), {"boyle-heights"});
  auto other_observer = b->socket(net.token("obs-dt"), {"downtown"});
  auto observer = a->socket(net.token("obs-bh"), {"boyle-heights"});
  auto receipt = report(*a, boyle_heights);
  ASSERT_TRUE(next_alert(*observer));
  // The dispatch that follows confirmation is the first alert the volunteer may see.
  ASSERT_EQ(step(*a, receipt.incident().id(), "confirm").status, 200u);
  auto first_for_volunteer = next_alert(*volunteer);
  ASSERT_TRUE(first_for_volunteer);
  EXPECT_EQ(first_for_volunteer->type(), v1::DISPATCH);
  EXPECT_FALSE(next_alert(*other_observer, 300ms));
}

// The board hears of each step that alerts with the step's alert whole, as the incident shows
// it: the store adds the alert to the event as it writes both (incident_store.hpp).
TEST_P(Spine, TheBoardHearsOfEachAlertingStepWithItsAlertWhole) {
  auto board = b->socket(net.token("disp"), {}, true);
  const auto id = report(*a, boyle_heights).incident().id();
  ASSERT_EQ(step(*a, id, "confirm").status, 200u);
  const auto shown = incident(*a, id);
  for (auto type : {v1::VERIFY, v1::DISPATCH}) {
    auto event = read_until(*board, [&](const v1::ServerMessage& m) {
      return m.has_incident() && m.incident().incident_id() == id &&
             m.incident().alert().type() == type;
    });
    ASSERT_TRUE(event) << v1::AlertType_Name(type);
    const auto& told = event->incident().alert();
    auto made = std::find_if(shown.alerts().begin(), shown.alerts().end(),
                             [&](const v1::Alert& alert) { return alert.id() == told.id(); });
    ASSERT_NE(made, shown.alerts().end()) << told.ShortDebugString();
    EXPECT_GT(made->recipients_size(), 0);
    EXPECT_GT(made->texts_size(), 1) << "the test network reads English and Spanish";
    v1::Alert expected = *made;
    expected.clear_offset();  // given when stored, after the event was written
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(told, expected))
        << told.ShortDebugString() << "\nvs\n"
        << expected.ShortDebugString();
  }
}

TEST_P(Spine, AcksConfirmAndResolveTravelTheWholeWay) {
  auto observer = b->socket(net.token("obs-bh"), {"boyle-heights"});
  auto volunteer = b->socket(net.token("vol-bh"), {"boyle-heights"});
  auto attorney = a->socket(net.token("att-bh"), {"boyle-heights"});
  auto board = a->socket(net.token("disp"), {}, true);
  auto receipt = report(*a, boyle_heights);
  const auto id = receipt.incident().id();

  auto verify = next_alert(*observer);
  ASSERT_TRUE(verify);
  auto en_route = ack_over_socket(*observer, *verify, v1::EN_ROUTE);
  EXPECT_EQ(en_route.responder_id(), "obs-bh");
  ack_over_socket(*observer, *verify, v1::ON_SCENE);

  // The board saw the report and both acks.
  auto ack_event = read_until(*board, [](const v1::ServerMessage& m) {
    return m.has_incident() && m.incident().what() == "ack" &&
           m.incident().ack().state() == v1::ON_SCENE;
  });
  ASSERT_TRUE(ack_event);
  EXPECT_EQ(ack_event->incident().incident_id(), id);

  auto confirmed =
      step(*a, id, "confirm", "disp", R"({"text":"3 vans at the car wash, come now"})");
  ASSERT_EQ(confirmed.status, 200u) << confirmed.body;
  for (auto* socket : {observer.get(), volunteer.get(), attorney.get()}) {
    auto dispatch = next_alert(*socket);
    ASSERT_TRUE(dispatch);
    EXPECT_EQ(dispatch->type(), v1::DISPATCH);
    EXPECT_EQ(dispatch->note(), "3 vans at the car wash, come now");
    EXPECT_NE(dispatch->text().find("Boyle Heights"), std::string::npos) << dispatch->text();
  }

  ASSERT_EQ(step(*b, id, "resolve").status, 200u);
  for (auto* socket : {observer.get(), volunteer.get(), attorney.get()}) {
    auto stand_down = next_alert(*socket);
    ASSERT_TRUE(stand_down);
    EXPECT_EQ(stand_down->type(), v1::STAND_DOWN);
  }

  auto shown = incident(*b, id);
  EXPECT_EQ(shown.status(), v1::RESOLVED);
  ASSERT_EQ(shown.reports_size(), 1);
  EXPECT_EQ(shown.reports(0).reporter_id(), "op");
  ASSERT_EQ(shown.alerts_size(), 3);
  EXPECT_EQ(shown.alerts(0).type(), v1::VERIFY);
  EXPECT_EQ(shown.alerts(1).type(), v1::DISPATCH);
  EXPECT_EQ(shown.alerts(2).type(), v1::STAND_DOWN);
  ASSERT_EQ(shown.acks_size(), 2);
  EXPECT_EQ(shown.acks(0).state(), v1::EN_ROUTE);
  EXPECT_EQ(shown.acks(1).state(), v1::ON_SCENE);
  EXPECT_GT(shown.acks(1).at().seconds(), 0);
  EXPECT_EQ(shown.acks(1).responder_id(), "obs-bh");
}

TEST_P(Spine, AFalseAlarmDebunksToEveryoneAlerted) {
  auto observer = b->socket(net.token("obs-bh"), {"boyle-heights"});
  auto volunteer = b->socket(net.token("vol-bh"), {"boyle-heights"});
  auto receipt = report(*a, boyle_heights);
  ASSERT_TRUE(next_alert(*observer));
  ASSERT_EQ(step(*a, receipt.incident().id(), "confirm").status, 200u);
  ASSERT_TRUE(next_alert(*volunteer));
  ASSERT_TRUE(next_alert(*observer));

  auto debunked =
      step(*a, receipt.incident().id(), "false-alarm", "disp", R"({"text":"it was a film shoot"})");
  ASSERT_EQ(debunked.status, 200u) << debunked.body;
  for (auto* socket : {observer.get(), volunteer.get()}) {
    auto alert = next_alert(*socket);
    ASSERT_TRUE(alert);
    EXPECT_EQ(alert->type(), v1::DEBUNK);
  }
  // Over is over: nothing more may happen to it.
  EXPECT_EQ(step(*a, receipt.incident().id(), "confirm").status, 409u);
  EXPECT_EQ(step(*a, receipt.incident().id(), "resolve").status, 409u);
}

TEST_P(Spine, AnObserverOnSceneMayConfirmAndOneElsewhereMayNot) {
  auto observer = b->socket(net.token("obs-bh"), {"boyle-heights"});
  auto receipt = report(*a, boyle_heights);
  auto verify = next_alert(*observer);
  ASSERT_TRUE(verify);
  EXPECT_EQ(step(*a, receipt.incident().id(), "confirm", "obs-bh").status,
            403u);  // not on scene yet
  EXPECT_EQ(step(*a, receipt.incident().id(), "confirm", "obs-dt").status,
            403u);  // not on call there
  ack_over_socket(*observer, *verify, v1::ON_SCENE);
  auto confirmed = step(*a, receipt.incident().id(), "confirm", "obs-bh");
  EXPECT_EQ(confirmed.status, 200u) << confirmed.body;
}

TEST_P(Spine, AcksOverHttpAreRecordedWithTheirResponder) {
  auto receipt = report(*a, boyle_heights);
  const auto& alert = receipt.incident().alerts(0);
  auto body = R"({"alertId":")" + alert.id() + R"(","incidentId":")" + receipt.incident().id() +
              R"(","state":"EN_ROUTE","note":"10 minutes away"})";
  auto response = b->call(http::verb::post, "/v1/acks", net.token("att-bh"), body);
  ASSERT_EQ(response.status, 201u) << response.body;
  auto shown = incident(*a, receipt.incident().id());
  ASSERT_EQ(shown.acks_size(), 1);
  EXPECT_EQ(shown.acks(0).responder_id(), "att-bh");
  EXPECT_EQ(shown.acks(0).note(), "10 minutes away");
}

TEST_P(Spine, AReconnectingObserverGetsWhatItMissedExactlyOnceInOrder) {
  std::string last_seen;
  {
    auto observer = b->socket(net.token("obs-bh"), {"boyle-heights"});
    report(*a, boyle_heights_spot(0));
    auto first = next_alert(*observer);
    ASSERT_TRUE(first);
    last_seen = first->offset();
  }
  // Seven alerts while away: more than one replay page (replay_max_alerts = 3 in tests).
  std::vector<std::string> missed;
  for (int i = 1; i <= 7; ++i) missed.push_back(report(*a, boyle_heights_spot(i)).incident().id());

  auto observer =
      b->socket(net.token("obs-bh"), {"boyle-heights"}, false, {{"boyle-heights", last_seen}});
  report(*a, boyle_heights_spot(8));  // and one live, while the replay may still run
  std::vector<std::string> got;
  while (auto alert = next_alert(*observer, got.size() < 8 ? socket_wait : 500ms))
    got.push_back(alert->incident_id());
  ASSERT_EQ(got.size(), 8u);
  for (std::size_t i = 0; i < missed.size(); ++i) EXPECT_EQ(got[i], missed[i]) << i;
}

// A page opening with the last half hour asks from a time, not from an offset it never saw: it
// gets exactly the alerts written at or after that time (one at the very millisecond included),
// in order, none twice, though they span pages of history and one arrives live meanwhile.
TEST_P(Spine, AReconnectGivenATimeGetsTheAlertsFromThatTimeOnExactlyOnceInOrder) {
  std::vector<v1::Alert> written;
  for (int i = 0; i < 6; ++i)
    written.push_back(report(*a, boyle_heights_spot(i)).incident().alerts(0));
  // The time of the second alert: that alert's own millisecond, and so the first one asked for.
  auto since = core::StreamOffset::parse(written[1].offset());
  ASSERT_TRUE(since);
  std::vector<std::string> expected;
  for (const auto& alert : written)
    if (core::StreamOffset::parse(alert.offset())->ms >= since->ms)
      expected.push_back(alert.incident_id());
  ASSERT_GE(expected.size(), 5u);  // more than one replay page (replay_max_alerts = 3 in tests)

  auto observer = b->raw_socket();
  v1::ClientMessage hello;
  hello.mutable_hello()->set_token(net.token("obs-bh"));
  auto* subscription = hello.mutable_hello()->add_subscriptions();
  subscription->set_neighborhood("boyle-heights");
  subscription->set_since_time_ms(since->ms);
  observer->send(hello);
  auto welcome = observer->read_message(socket_wait);
  ASSERT_TRUE(welcome && welcome->has_welcome()) << (welcome ? wire::to_json(*welcome) : "nothing");
  // And one live, while the replay may still run.
  expected.push_back(report(*a, boyle_heights_spot(6)).incident().id());

  std::vector<std::string> got;
  while (auto alert = next_alert(*observer, got.size() < expected.size() ? socket_wait : 500ms))
    got.push_back(alert->incident_id());
  EXPECT_EQ(got, expected);
}

// A page from before sinceTimeMs sent its time as a sinceOffset: still read as the offset
// "<time>-0", so such a page keeps working (less exactly: an alert of that very millisecond and
// sequence 0 counts as seen).
TEST_P(Spine, AnOlderPagesTimeAsSinceOffsetIsStillAnOffset) {
  std::vector<v1::Alert> written;
  for (int i = 0; i < 3; ++i)
    written.push_back(report(*a, boyle_heights_spot(i)).incident().alerts(0));
  auto after = *core::StreamOffset::parse(written[0].offset());
  std::vector<std::string> expected;
  for (const auto& alert : written)
    if (*core::StreamOffset::parse(alert.offset()) > core::StreamOffset{after.ms, 0})
      expected.push_back(alert.incident_id());
  auto time_as_offset = std::to_string(after.ms);
  auto observer =
      b->socket(net.token("obs-bh"), {"boyle-heights"}, false, {{"boyle-heights", time_as_offset}});
  std::vector<std::string> got;
  while (auto alert = next_alert(*observer, got.size() < expected.size() ? socket_wait : 500ms))
    got.push_back(alert->incident_id());
  EXPECT_EQ(got, expected);
}

TEST_P(Spine, ARepeatedIdempotencyKeyAnswersTheFirstIncident) {
  auto body =
      report_json(boyle_heights.lat, boyle_heights.lon, "RAID", R"("idempotencyKey":"call-0042")");
  auto first = a->call(http::verb::post, "/v1/reports", net.token("op"), body);
  auto again = b->call(http::verb::post, "/v1/reports", net.token("op"), body);
  ASSERT_EQ(first.status, 201u) << first.body;
  ASSERT_EQ(again.status, 200u) << again.body;
  v1::ReportReceipt one, two;
  ASSERT_EQ(wire::from_json(first.body, one), "");
  ASSERT_EQ(wire::from_json(again.body, two), "");
  EXPECT_EQ(one.incident().id(), two.incident().id());
  EXPECT_EQ(one.report().id(), two.report().id());
  auto list = a->call(http::verb::get, "/v1/incidents", net.token("disp"));
  v1::IncidentList incidents;
  ASSERT_EQ(wire::from_json(list.body, incidents), "");
  EXPECT_EQ(incidents.incidents_size(), 1);
}

TEST_P(Spine, ReportsAndAcksTravelOverTheSocketToo) {
  auto operator_socket = a->socket(net.token("op"), {});
  auto observer = b->socket(net.token("obs-bh"), {"boyle-heights"});
  v1::ClientMessage message;
  message.set_request_id("r1");
  message.mutable_report()->set_kind(v1::CHECKPOINT);
  message.mutable_report()->mutable_location()->set_lat(boyle_heights.lat);
  message.mutable_report()->mutable_location()->set_lon(boyle_heights.lon);
  operator_socket->send(message);
  auto answer = read_until(*operator_socket,
                           [](const v1::ServerMessage& m) { return m.request_id() == "r1"; });
  ASSERT_TRUE(answer && answer->has_report_accepted())
      << (answer ? wire::to_json(*answer) : "none");
  auto alert = next_alert(*observer);
  ASSERT_TRUE(alert);
  EXPECT_EQ(alert->incident_id(), answer->report_accepted().incident().id());
  EXPECT_EQ(alert->kind(), v1::CHECKPOINT);
}

}  // namespace
}  // namespace puente::test

namespace puente::test {
namespace {

namespace http = boost::beast::http;

INSTANTIATE_TEST_SUITE_P(On, Spine, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Cluster" : "SingleRedis"; });

// Recovery: the welcome names the history's epoch and says whether a reconnect's sinceOffset
// could be replayed whole; when it could not (history trimmed past it, or lost), it says so.
class Recovery : public ::testing::Test {
 protected:
  TestNetwork net;
  std::unique_ptr<PuentedNode> node = net.start_node("a");

  v1::Welcome hello(const std::string& since, const std::string& epoch) {
    auto socket = node->raw_socket();
    v1::ClientMessage message;
    message.mutable_hello()->set_token(net.token("obs-bh"));
    auto* s = message.mutable_hello()->add_subscriptions();
    s->set_neighborhood("boyle-heights");
    s->set_since_offset(since);
    s->set_epoch(epoch);
    socket->send(message);
    auto welcome = socket->read_message(socket_wait);
    EXPECT_TRUE(welcome && welcome->has_welcome());
    return welcome ? welcome->welcome() : v1::Welcome{};
  }

  std::string report_offset(int spot) {
    auto where = boyle_heights_spot(spot);
    auto response = node->call(http::verb::post, "/v1/reports", net.token("op"),
                               report_json(where.lat, where.lon));
    v1::ReportReceipt receipt;
    EXPECT_EQ(wire::from_json(response.body, receipt), "");
    return receipt.incident().alerts(0).offset();
  }
};

TEST_F(Recovery, AWholeHistoryRecovers) {
  auto first = hello("", "");
  EXPECT_FALSE(first.epoch().empty());
  auto offset = report_offset(0);
  report_offset(1);
  auto again = hello(offset, first.epoch());
  EXPECT_TRUE(again.recovered());
  EXPECT_EQ(again.epoch(), first.epoch());
}

TEST_F(Recovery, AHistoryTrimmedPastTheOffsetSaysSo) {
  auto epoch = hello("", "").epoch();
  auto offset = report_offset(0);
  report_offset(1);
  net.redis_integer("XTRIM puente:alerts:boyle-heights MAXLEN 1");  // the first alert is gone
  EXPECT_FALSE(hello(offset, epoch).recovered());
}

TEST_F(Recovery, ALostHistoryIsANewEpoch) {
  auto epoch = hello("", "").epoch();
  auto offset = report_offset(0);
  net.redis_integer("DEL puente:epoch puente:alerts:boyle-heights");  // as if Redis came back empty
  auto after = hello(offset, epoch);
  EXPECT_FALSE(after.recovered());
  EXPECT_NE(after.epoch(), epoch);
}

}  // namespace
}  // namespace puente::test
