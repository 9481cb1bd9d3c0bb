// Two networks on one deployment (issue 23): LA City and the rest of LA County, each with its
// own geography, roster and key prefix, served by the same two real puented nodes over one real
// Redis. The spine runs in each; a token of one network sees nothing of the other anywhere:
// incidents (by id and in lists), acks to its alerts, its neighborhoods over WebSocket, its live
// alerts (both geographies have a `boyle-heights`), the audit log, and Redis keys. The same two
// networks on a real Redis Cluster live each on the primary of its own slot; with one network's
// shard down, /readyz names that network and the other serves on.
#include "cluster_config.hpp"
#include "redis_probe.hpp"
#include "two_networks.hpp"

#include "redis/key_slot.hpp"
#include "wait_until.hpp"

#include "puente/v1/json.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <tuple>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

class Networks : public ::testing::Test {
 protected:
  explicit Networks(const std::string& extra_redis = "") : networks(extra_redis) {}

  TwoNetworks networks;
  std::unique_ptr<PuentedNode> a = networks.start_node("a");
  std::unique_ptr<PuentedNode> b = networks.start_node("b");

  const std::string& token(const std::string& who) { return networks.token(who); }

  // How many keys match `pattern` ("*": all) on the Redis at `port` (0: the networks' own).
  long long keys_matching(const std::string& pattern, unsigned short port = 0) {
    auto reply = ask_redis(port ? port : networks.redis().port(), {"KEYS", pattern});
    if (!reply || reply->type != REDIS_REPLY_ARRAY) throw std::runtime_error("KEYS failed");
    return static_cast<long long>(reply->elements);
  }

  v1::ReportReceipt report(PuentedNode& node, const std::string& who, Place where) {
    auto response =
        node.call(http::verb::post, "/v1/reports", token(who), report_json(where.lat, where.lon));
    EXPECT_EQ(response.status, 201u) << response.body;
    v1::ReportReceipt receipt;
    EXPECT_EQ(wire::from_json(response.body, receipt), "");
    return receipt;
  }

  client::HttpResponse step(PuentedNode& node, const std::string& id, const std::string& action,
                            const std::string& who) {
    return node.call(http::verb::post, "/v1/incidents/" + id + "/" + action, token(who));
  }

  std::string ack_json(const v1::Alert& alert, const std::string& state) {
    return R"({"alertId":")" + alert.id() + R"(","incidentId":")" + alert.incident_id() +
           R"(","state":")" + state + R"("})";
  }

  // The error a hello with `token` for `neighborhood` gets, "" if welcomed.
  std::string hello_refusal(PuentedNode& node, const std::string& token,
                            const std::string& neighborhood) {
    auto socket = node.raw_socket();
    v1::ClientMessage hello;
    hello.mutable_hello()->set_token(token);
    hello.mutable_hello()->add_subscriptions()->set_neighborhood(neighborhood);
    socket->send(hello);
    auto answer = socket->read_message(socket_wait);
    if (!answer) return "no answer";
    return answer->has_error() ? answer->error().code() : "";
  }

  // The spine in one network: report, verify alert on the observer's socket, an ack over the
  // socket and one over HTTP, confirm, the dispatch, resolve. Returns the incident and its
  // first alert.
  std::pair<std::string, v1::Alert> spine(const std::string& network, Place where,
                                          const std::string& neighborhood) {
    auto observer = b->socket(token(network + "-obs"), {neighborhood});
    auto receipt = report(*a, network + "-op", where);
    const auto id = receipt.incident().id();
    EXPECT_EQ(receipt.incident().neighborhood(), neighborhood);
    auto verify = next_alert(*observer);
    EXPECT_TRUE(verify);
    if (!verify) return {id, {}};
    EXPECT_EQ(verify->type(), v1::VERIFY);
    EXPECT_EQ(verify->incident_id(), id);

    v1::ClientMessage ack;
    ack.set_request_id("ack-1");
    ack.mutable_ack()->set_alert_id(verify->id());
    ack.mutable_ack()->set_incident_id(id);
    ack.mutable_ack()->set_state(v1::EN_ROUTE);
    observer->send(ack);
    auto accepted =
        read_until(*observer, [](const v1::ServerMessage& m) { return m.request_id() == "ack-1"; });
    EXPECT_TRUE(accepted && accepted->has_ack_accepted())
        << (accepted ? wire::to_json(*accepted) : "no answer");
    auto http_ack = b->call(http::verb::post, "/v1/acks", token(network + "-obs"),
                            ack_json(*verify, "ON_SCENE"));
    EXPECT_EQ(http_ack.status, 201u) << http_ack.body;

    EXPECT_EQ(step(*b, id, "confirm", network + "-disp").status, 200u);
    auto dispatch = next_alert(*observer);
    EXPECT_TRUE(dispatch && dispatch->type() == v1::DISPATCH);
    EXPECT_EQ(step(*a, id, "resolve", network + "-disp").status, 200u);
    auto stand_down = next_alert(*observer);
    EXPECT_TRUE(stand_down && stand_down->type() == v1::STAND_DOWN);

    auto shown = a->call(http::verb::get, "/v1/incidents/" + id, token(network + "-disp"));
    EXPECT_EQ(shown.status, 200u) << shown.body;
    v1::Incident incident;
    EXPECT_EQ(wire::from_json(shown.body, incident), "");
    EXPECT_EQ(incident.status(), v1::RESOLVED);
    EXPECT_EQ(incident.acks_size(), 2);
    return {id, *verify};
  }
};

TEST_F(Networks, TheSpineRunsInEachNetworkOnTheSameNodes) {
  spine("city", boyle_heights, "boyle-heights");
  spine("county", east_los_angeles, "east-los-angeles");
}

TEST_F(Networks, ATokenOfOneNetworkSeesNothingOfTheOther) {
  auto [city_incident, city_alert] = spine("city", boyle_heights, "boyle-heights");
  auto [county_incident, county_alert] = spine("county", east_los_angeles, "east-los-angeles");

  for (auto* node : {a.get(), b.get()}) {
    // The other's incidents: 404 by id, absent from lists.
    EXPECT_EQ(
        node->call(http::verb::get, "/v1/incidents/" + city_incident, token("county-disp")).status,
        404u);
    EXPECT_EQ(
        node->call(http::verb::get, "/v1/incidents/" + county_incident, token("city-disp")).status,
        404u);
    auto city_list =
        node->call(http::verb::get, "/v1/incidents?status=RESOLVED", token("city-disp"));
    ASSERT_EQ(city_list.status, 200u) << city_list.body;
    EXPECT_NE(city_list.body.find(city_incident), std::string::npos);
    EXPECT_EQ(city_list.body.find(county_incident), std::string::npos);
    auto county_list =
        node->call(http::verb::get, "/v1/incidents?status=RESOLVED", token("county-disp"));
    ASSERT_EQ(county_list.status, 200u) << county_list.body;
    EXPECT_NE(county_list.body.find(county_incident), std::string::npos);
    EXPECT_EQ(county_list.body.find(city_incident), std::string::npos);
    // Steps on the other's incident are refused as on no incident at all.
    EXPECT_EQ(step(*node, city_incident, "confirm", "county-disp").status, 404u);

    // An ack to the other's alert is refused.
    auto ack = node->call(http::verb::post, "/v1/acks", token("county-obs"),
                          ack_json(city_alert, "EN_ROUTE"));
    EXPECT_GE(ack.status, 400u) << ack.body;
    EXPECT_LT(ack.status, 500u) << ack.body;

    // The other's neighborhoods cannot be followed: pasadena is the county's alone, and a
    // dispatcher may follow any neighborhood of its own network.
    EXPECT_EQ(hello_refusal(*node, token("city-disp"), "pasadena"), "unknown_neighborhood");
    EXPECT_EQ(hello_refusal(*node, token("county-disp"), "pasadena"), "");
  }

  // The audit log of each holds only its own network's people and incidents.
  for (const auto& [own, other, other_incident] :
       {std::tuple{"city", "county", county_incident}, {"county", "city", city_incident}}) {
    auto log = a->audit_log(token(std::string(own) + "-admin"));
    EXPECT_GT(log.entries_size(), 0);
    for (const auto& entry : log.entries()) {
      EXPECT_FALSE(entry.actor().starts_with(other)) << own << ": " << wire::to_json(entry);
      EXPECT_NE(entry.subject(), other_incident) << own << ": " << wire::to_json(entry);
    }
  }

  // Every key in Redis is under one of the two prefixes.
  const auto all = keys_matching("*");
  const auto city = keys_matching(std::string(TwoNetworks::city_prefix) + "*");
  const auto county = keys_matching(std::string(TwoNetworks::county_prefix) + "*");
  EXPECT_GT(city, 0);
  EXPECT_GT(county, 0);
  EXPECT_EQ(city + county, all);
}

TEST_F(Networks, AlertsOfASharedNeighborhoodNameReachOnlyTheirOwnNetwork) {
  // Both geographies have a boyle-heights: a city alert there must not reach the county's
  // observer of its boyle-heights nor its dispatcher (who sees every alert of what it follows),
  // on either node, nor the other way round.
  auto county_socket_a = a->socket(token("county-obs-bh"), {"boyle-heights"});
  auto county_socket_b = b->socket(token("county-obs-bh"), {"boyle-heights"});
  auto county_dispatcher = b->socket(token("county-disp"), {"boyle-heights"});
  auto city_socket = b->socket(token("city-obs"), {"boyle-heights"});
  auto city_dispatcher = a->socket(token("city-disp"), {"boyle-heights"});
  auto city = report(*a, "city-op", boyle_heights);
  for (auto* socket : {city_socket.get(), city_dispatcher.get()}) {
    auto verify = next_alert(*socket);
    ASSERT_TRUE(verify);
    EXPECT_EQ(verify->incident_id(), city.incident().id());
  }
  EXPECT_FALSE(next_alert(*county_socket_a, 500ms));
  EXPECT_FALSE(next_alert(*county_socket_b, 500ms));
  EXPECT_FALSE(next_alert(*county_dispatcher, 500ms));

  auto county = report(*b, "county-op", boyle_heights);
  for (auto* socket : {county_socket_a.get(), county_dispatcher.get()}) {
    auto verify = next_alert(*socket);
    ASSERT_TRUE(verify);
    EXPECT_EQ(verify->incident_id(), county.incident().id());
  }
  EXPECT_FALSE(next_alert(*city_socket, 500ms));
  EXPECT_FALSE(next_alert(*city_dispatcher, 500ms));
}

TEST_F(Networks, EachTokenIsAnsweredWithItsOwnNetworksNameForThePages) {
  for (const auto& [who, id, name] : {std::tuple{"city-obs", "la-city", TwoNetworks::city_name},
                                      {"county-disp", "la-county", TwoNetworks::county_name}}) {
    auto response = b->call(http::verb::get, "/v1/network", token(who));
    ASSERT_EQ(response.status, 200u) << response.body;
    EXPECT_EQ(response.body, std::string(R"({"id":")") + id + R"(","name":")" + name + R"("})");
  }
}

TEST_F(Networks, EachNetworkWritesItsOwnStateFiles) {
  for (const auto* id : {"la-city", "la-county"}) {
    const auto folder = networks.dir() / "state" / "networks" / id;
    EXPECT_TRUE(std::filesystem::exists(folder / "a.journal")) << folder;
    EXPECT_TRUE(std::filesystem::exists(folder / "evidence-key.pem")) << folder;
  }
}

// The cluster comes up before the networks' nodes, which take its nodes as seeds.
struct ClusterFirst {
  RedisCluster cluster;
};

class NetworksOnACluster : private ClusterFirst, public Networks {
 protected:
  NetworksOnACluster() : Networks(cluster_seeds_line(cluster)) {}

  RedisCluster& shards() { return cluster; }

  // The primary of the slot of `prefix`'s hash tag.
  unsigned short primary_of(const std::string& prefix) {
    auto primary = cluster.primary_of_slot(redis::key_slot(prefix), cluster.ports().front());
    if (!primary) throw std::runtime_error("no primary serves the slot of " + prefix);
    return *primary;
  }
};

TEST_F(NetworksOnACluster, EachNetworkLivesOnItsOwnSlotsPrimaryAndSeesNothingOfTheOther) {
  auto [city_incident, city_alert] = spine("city", boyle_heights, "boyle-heights");
  auto [county_incident, county_alert] = spine("county", east_los_angeles, "east-los-angeles");

  // The prefixes' slots (0 and 8192) fall to two of the three primaries: each network's keys
  // are on its own, and none on the other's.
  const auto city = primary_of(TwoNetworks::city_prefix);
  const auto county = primary_of(TwoNetworks::county_prefix);
  EXPECT_NE(city, county);
  const std::string city_keys = std::string(TwoNetworks::city_prefix) + "*";
  const std::string county_keys = std::string(TwoNetworks::county_prefix) + "*";
  EXPECT_GT(keys_matching(city_keys, city), 0);
  EXPECT_GT(keys_matching(county_keys, county), 0);
  EXPECT_EQ(keys_matching(county_keys, city), 0);
  EXPECT_EQ(keys_matching(city_keys, county), 0);

  // A token of one network is refused by the other, over HTTP and WebSocket.
  EXPECT_EQ(a->call(http::verb::get, "/v1/incidents/" + county_incident, token("city-disp")).status,
            404u);
  EXPECT_EQ(b->call(http::verb::get, "/v1/incidents/" + city_incident, token("county-disp")).status,
            404u);
  EXPECT_GE(
      b->call(http::verb::post, "/v1/acks", token("city-obs"), ack_json(county_alert, "EN_ROUTE"))
          .status,
      400u);
  EXPECT_EQ(hello_refusal(*a, token("city-disp"), "east-los-angeles"), "unknown_neighborhood");
}

TEST_F(NetworksOnACluster, ReadyzNamesANetworkWhoseShardIsDownAndTheOtherServesOn) {
  // The county's slot loses its primary and its replica; the rest of the cluster serves on (not
  // every slot covered is no reason to stop: cluster-require-full-coverage no).
  for (const auto port : shards().ports())
    ask_redis(port, {"CONFIG", "SET", "cluster-require-full-coverage", "no"});
  const auto county = primary_of(TwoNetworks::county_prefix);
  const auto id = ask_redis(county, {"CLUSTER", "MYID"});
  ASSERT_TRUE(id && id->type == REDIS_REPLY_STRING);
  const auto nodes = ask_redis(county, {"CLUSTER", "NODES"});
  ASSERT_TRUE(nodes && nodes->type == REDIS_REPLY_STRING);
  std::istringstream lines(std::string(nodes->str, nodes->len));
  std::vector<unsigned short> dying{county};
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::string node_id, address, flags, primary;
    fields >> node_id >> address >> flags >> primary;
    const auto colon = address.find(':'), at = address.find('@');
    if (primary == std::string(id->str, id->len))
      dying.push_back(
          static_cast<unsigned short>(std::stoi(address.substr(colon + 1, at - colon - 1))));
  }
  ASSERT_EQ(dying.size(), 2u) << std::string(nodes->str, nodes->len);
  ASSERT_EQ(a->call(http::verb::get, "/readyz", "").status, 200u);
  for (const auto port : dying) shards().node(port).kill();

  client::HttpResponse readyz;
  ASSERT_TRUE(wait_until(
      [&] { return (readyz = a->call(http::verb::get, "/readyz", "")).status == 503; }, 30s));
  EXPECT_NE(readyz.body.find("network la-county: Redis is not reachable"), std::string::npos)
      << readyz.body;
  EXPECT_EQ(readyz.body.find("la-city"), std::string::npos) << readyz.body;
  // The city's shard is up: its people are served.
  auto city = a->call(http::verb::post, "/v1/reports", token("city-op"),
                      report_json(boyle_heights.lat, boyle_heights.lon));
  EXPECT_EQ(city.status, 201u) << city.body;
}

}  // namespace
}  // namespace puente::test
