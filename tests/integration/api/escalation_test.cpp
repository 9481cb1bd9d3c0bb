// Escalation against real nodes and Redis, with a policy in seconds: too few on scene after
// confirmation reaches the adjacent neighborhoods, then the region and standby pool, then the
// dispatchers; the quorum stops it; each step goes out once, even when a node dies. Each test
// runs on one Redis (SingleRedis/) and on a Redis Cluster (Cluster/, issue 23).
#include "cluster_config.hpp"
#include "cluster_scripts.hpp"
#include "test_network.hpp"

#include "puente/v1/json.hpp"
#include "redis/key_slot.hpp"
#include "redis_probe.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include <map>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

// One observer on scene is a quorum; steps one, two and three seconds after confirmation.
const std::string short_policy = R"(
[policy.quorum]
count = 1
role = "legal_observer"
state = "ON_SCENE"

[[policy.escalation]]
deadline_seconds = 1
audience = "adjacent"

[[policy.escalation]]
deadline_seconds = 2
audience = "region"

[[policy.escalation]]
deadline_seconds = 3
audience = "dispatchers"
)";

// true: on a Redis Cluster.
class Escalation : public ::testing::TestWithParam<bool> {
 protected:
  std::unique_ptr<RedisCluster> cluster = GetParam() ? std::make_unique<RedisCluster>() : nullptr;
  TestNetwork net{short_policy, "", cluster ? cluster_redis_lines(*cluster) : ""};
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

  std::string report_and_confirm(PuentedNode& node) {
    auto response = node.call(http::verb::post, "/v1/reports", net.token("op"),
                              report_json(boyle_heights.lat, boyle_heights.lon));
    EXPECT_EQ(response.status, 201u) << response.body;
    v1::ReportReceipt receipt;
    EXPECT_EQ(wire::from_json(response.body, receipt), "");
    confirm(node, receipt.incident().id());
    return receipt.incident().id();
  }

  void confirm(PuentedNode& node, const std::string& id) {
    auto confirmed =
        node.call(http::verb::post, "/v1/incidents/" + id + "/confirm", net.token("disp"));
    EXPECT_EQ(confirmed.status, 200u) << confirmed.body;
  }

  v1::Incident incident(PuentedNode& node, const std::string& id) {
    v1::Incident out;
    auto response = node.call(http::verb::get, "/v1/incidents/" + id, net.token("disp"));
    EXPECT_EQ(wire::from_json(response.body, out), "") << response.body;
    return out;
  }

  // Escalation alerts sent per step.
  static std::map<int, int> escalations(const v1::Incident& incident) {
    std::map<int, int> steps;
    for (const auto& alert : incident.alerts())
      if (alert.type() == v1::ESCALATE) ++steps[alert.escalation_step()];
    return steps;
  }

  // True once no deadline is left, claimed or not: every step that will happen has happened.
  bool deadlines_done() {
    if (!cluster)
      return net.redis_integer("ZCARD puente:timers") == 0 &&
             net.redis_integer("ZCARD puente:timers:leased") == 0;
    const auto owner = cluster->primary_of_slot(redis::key_slot("{la}"), cluster->ports()[0]);
    if (!owner) return false;
    for (const char* key : {"puente:{la}:timers", "puente:{la}:timers:leased"}) {
      const auto count = ask_redis(*owner, {"ZCARD", key});
      if (!count || count->type != REDIS_REPLY_INTEGER || count->integer != 0) return false;
    }
    return true;
  }
};

TEST_P(Escalation, WithNobodyOnSceneItWidensStepByStepEachOnce) {
  auto adjacent = b->socket(net.token("obs-dt"), {"downtown"});  // downtown touches boyle-heights
  auto standby = a->socket(net.token("obs-standby"), {"downtown"});
  auto board = b->socket(net.token("disp"), {}, true);
  auto id = report_and_confirm(*a);

  auto first = next_alert(*adjacent);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->type(), v1::ESCALATE);
  EXPECT_EQ(first->escalation_step(), 1);
  EXPECT_EQ(first->incident_id(), id);
  EXPECT_EQ(first->neighborhood(), "downtown");

  // The standby pool is held back until the region step.
  auto for_standby = next_alert(*standby);
  ASSERT_TRUE(for_standby);
  EXPECT_EQ(for_standby->type(), v1::ESCALATE);
  EXPECT_EQ(for_standby->escalation_step(), 2);

  std::string events;
  auto paged = read_until(*board, [&](const v1::ServerMessage& m) {
    if (m.has_incident()) events += m.incident().what() + "; ";
    return m.has_incident() && m.incident().what() == "escalated: dispatchers";
  });
  ASSERT_TRUE(paged) << events;

  ASSERT_TRUE(wait_until([&] { return deadlines_done(); }));
  auto shown = incident(*a, id);
  EXPECT_EQ(shown.escalation_step(), 3);
  auto steps = escalations(shown);
  EXPECT_EQ(steps.size(), 3u);
  for (auto [step, alerts] : steps) EXPECT_GE(alerts, 1) << "step " << step;
  // Each step is one send: the adjacent step's downtown alert exists once.
  int downtown_step_one = 0;
  for (const auto& alert : shown.alerts())
    if (alert.type() == v1::ESCALATE && alert.escalation_step() == 1 &&
        alert.neighborhood() == "downtown")
      ++downtown_step_one;
  EXPECT_EQ(downtown_step_one, 1);
}

TEST_P(Escalation, AStepAlertsWhoeverSaidTheyAreAvailableSinceTheConfirmation) {
  b.reset();  // node a alone takes the steps, with its own copy of who is available
  auto off_shift = a->socket(net.token("obs-dt-off"), {"downtown"});
  auto id = report_and_confirm(*a);  // node a's copy, from before this:
  auto available = a->call(http::verb::post, "/v1/me/availability", net.token("obs-dt-off"),
                           R"({"available":true,"minutes":60})");
  ASSERT_EQ(available.status, 200u) << available.body;

  // The adjacent step, a second after the confirmation, is refused with the copy node a has
  // and chosen again from the book as it is now.
  auto first = next_alert(*off_shift);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->type(), v1::ESCALATE);
  EXPECT_EQ(first->escalation_step(), 1);
  EXPECT_EQ(first->incident_id(), id);
}

TEST_P(Escalation, AQuorumOnSceneStopsIt) {
  auto observer = a->socket(net.token("obs-bh"), {"boyle-heights"});
  auto response = a->call(http::verb::post, "/v1/reports", net.token("op"),
                          report_json(boyle_heights.lat, boyle_heights.lon));
  v1::ReportReceipt receipt;
  ASSERT_EQ(wire::from_json(response.body, receipt), "");
  auto verify = next_alert(*observer);
  ASSERT_TRUE(verify);
  // The observer who went to verify is on scene: with a quorum of one, nobody else is needed.
  auto ack = R"({"alertId":")" + verify->id() + R"(","incidentId":")" + verify->incident_id() +
             R"(","state":"ON_SCENE"})";
  ASSERT_EQ(a->call(http::verb::post, "/v1/acks", net.token("obs-bh"), ack).status, 201u);
  confirm(*a, receipt.incident().id());

  ASSERT_TRUE(wait_until([&] { return deadlines_done(); }));
  auto shown = incident(*b, receipt.incident().id());
  EXPECT_TRUE(escalations(shown).empty());
  EXPECT_EQ(shown.escalation_step(), 0);
}

TEST_P(Escalation, ResolvingStopsIt) {
  auto id = report_and_confirm(*a);
  ASSERT_EQ(a->call(http::verb::post, "/v1/incidents/" + id + "/resolve", net.token("disp")).status,
            200u);
  ASSERT_TRUE(wait_until([&] { return deadlines_done(); }));
  EXPECT_TRUE(escalations(incident(*b, id)).empty());
}

TEST_P(Escalation, EachStepGoesOutOnceEvenWhenTheConfirmingNodeDies) {
  auto adjacent = b->socket(net.token("obs-dt"), {"downtown"});
  auto id = report_and_confirm(*a);
  a->process().kill_now();  // the deadline lives in Redis: node b takes it

  std::map<int, int> seen;
  while (auto alert = next_alert(*adjacent, seen.size() < 1 ? socket_wait : 2s))
    if (alert->type() == v1::ESCALATE) ++seen[alert->escalation_step()];
  EXPECT_EQ(seen[1], 1);
  ASSERT_TRUE(wait_until([&] { return deadlines_done(); }));
  auto steps = escalations(incident(*b, id));
  EXPECT_EQ(steps.size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(On, Escalation, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Cluster" : "SingleRedis"; });

}  // namespace
}  // namespace puente::test
