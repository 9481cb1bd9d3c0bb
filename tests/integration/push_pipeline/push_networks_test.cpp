// Web Push with two networks on the same nodes (issue 23, docs/networks.md): each network's
// [push] has a VAPID key of its own and its phones are its own. Both geographies have a
// boyle-heights, and each network has an observer there with a phone of the loopback push
// service (tests/push_service: it checks every push's VAPID JWT and records the key that signed
// it). An alert of one network reaches its own observer's phone, signed with its own key, and
// never the other's; the ack capability the push carries acks and reports "shown" in its own
// network (the node finds the network by the key that verifies the capability), on either node.
#include "push_network_test.hpp"
#include "two_networks.hpp"

#include "puente/v1/json.hpp"

#include <thread>

namespace puente::test {
namespace {

using namespace std::chrono_literals;
namespace http = boost::beast::http;
namespace json = boost::json;

struct NetworkSide {
  std::string id;      // "la-city"
  std::string people;  // "city": its responders' ids start so
  std::string prefix;  // its key prefix
  std::string observer;
};

const NetworkSide city{"la-city", "city", TwoNetworks::city_prefix, "city-obs"};
const NetworkSide county{"la-county", "county", TwoNetworks::county_prefix, "county-obs-bh"};

class PushNetworks : public PushNetworkTest {
 protected:
  // Both networks push to the loopback service, each signing with a VAPID key of its own.
  void start() {
    std::map<std::string, NetworkExtras> extras;
    for (const auto* side : {&city, &county})
      extras[side->id].sections = push_sections("vapid.pem");  // in the network's own folder
    networks = std::make_unique<TwoNetworks>("", extras);
    for (const auto* side : {&city, &county}) {
      auto key = push::VapidKey::generate();
      key.write_pem_file(networks->dir() / side->id / "vapid.pem");
      public_key[side->id] = key.public_key_base64url();
    }
    a = networks->start_node("a");
    b = networks->start_node("b");
    for (const auto* side : {&city, &county})
      phone[side->id] = register_phone(networks->redis().port(), side->prefix, side->observer);
  }

  // A request from a phone's service worker: the capability, no bearer token.
  client::HttpResponse from_phone(PuentedNode& node, const std::string& target,
                                  const std::string& capability, const std::string& body) {
    client::HttpClient http(node.address());
    return http.request(http::verb::post, target, body, {}, "application/json",
                        {{"Authorization", "Capability " + capability}});
  }

  v1::Incident incident(const NetworkSide& side, const std::string& id) {
    auto response = a->call(http::verb::get, "/v1/incidents/" + id, token(side, "disp"));
    EXPECT_EQ(response.status, 200u) << response.body;
    v1::Incident read;
    EXPECT_EQ(wire::from_json(response.body, read), "") << response.body;
    return read;
  }

  const std::string& token(const NetworkSide& side, const std::string& role) {
    return networks->token(side.people + "-" + role);
  }

  // An alert of `own` in boyle-heights, reported on `reported_on` and acked from the phone on
  // `acked_on`: its phone alone gets it, signed with its key, and the capability's ack and
  // "shown" land in its incident.
  void alert_reaches_only(const NetworkSide& own, const NetworkSide& other,
                          PuentedNode& reported_on, PuentedNode& acked_on) {
    const auto before_other = pushes_to(phone[other.id]).size();
    const auto id = open_incident(reported_on, token(own, "op"), boyle_heights);
    const auto pushes = wait_for_pushes(phone[own.id], 1);
    ASSERT_EQ(pushes.size(), 1u) << own.id << "\n" << service->log();
    const auto& push = pushes[0].as_object();
    EXPECT_TRUE(push.at("errors").as_array().empty()) << json::serialize(push);
    EXPECT_EQ(std::string(push.at("vapidKey").as_string()), public_key[own.id])
        << own.id << " pushed with another network's key";
    const auto payload = json::parse(decoded_payload(pushes[0])).as_object();
    ASSERT_EQ(std::string(payload.at("alert").at("incidentId").as_string()), id);
    const auto alert_id = std::string(payload.at("alert").at("id").as_string());
    const auto capability = std::string(payload.at("capability").as_string());

    auto acked = from_phone(
        acked_on, "/v1/acks", capability,
        R"({"alertId":")" + alert_id + R"(","incidentId":")" + id + R"(","state":"EN_ROUTE"})");
    EXPECT_EQ(acked.status, 201u) << own.id << ": " << acked.body;
    auto shown =
        from_phone(acked_on, "/v1/push/shown", capability, R"({"alertId":")" + alert_id + R"("})");
    EXPECT_EQ(shown.status, 204u) << own.id << ": " << shown.body;
    const auto read = incident(own, id);
    ASSERT_EQ(read.acks_size(), 1) << wire::to_json(read);
    EXPECT_EQ(read.acks(0).responder_id(), own.observer);
    bool shown_recorded = false;
    for (const auto& d : read.deliveries())
      shown_recorded |= d.responder_id() == own.observer && d.has_shown_at();
    EXPECT_TRUE(shown_recorded) << wire::to_json(read);
    // The other network knows nothing of it.
    EXPECT_EQ(a->call(http::verb::get, "/v1/incidents/" + id, token(other, "disp")).status, 404u);

    std::this_thread::sleep_for(1s);  // a push to the other's phone would have come by now
    EXPECT_EQ(pushes_to(phone[other.id]).size(), before_other) << service->log();
    EXPECT_EQ(pushes_to(phone[own.id]).size(), 1u) << service->log();
  }

  std::unique_ptr<TwoNetworks> networks;
  std::unique_ptr<PuentedNode> a, b;
  std::map<std::string, std::string> public_key;      // by network id
  std::map<std::string, LoopbackSubscription> phone;  // each network's observer's, by network id
};

TEST_F(PushNetworks, EachNetworksAlertReachesOnlyItsOwnPhonesSignedWithItsOwnKey) {
  start();
  alert_reaches_only(city, county, *a, *b);
  alert_reaches_only(county, city, *b, *a);
}

}  // namespace
}  // namespace puente::test
