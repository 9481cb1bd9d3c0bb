// Text messages with two networks on the same node (issue 23, docs/networks.md): each network's
// [sms] has its own number, its own real Kannel (bearerbox, smsbox, fakesmsc) and gateway
// credentials made by deploy/kannel/make-credentials.sh. Both geographies have a boyle-heights,
// and each network has an observer there reachable by text only. An alert of one network is
// texted to its own observer from its own number, never to the other's; the fake SMS centre's
// delivery report and the observer's reply "2" come back through that network's Kannel with its
// credentials and land in its incident (the node finds the network by them), and the other
// network holds no trace of either. Two networks given the same credentials could not be told
// apart: the node refuses to start.
#include "file_text.hpp"
#include "free_port.hpp"
#include "kannel_gateway.hpp"
#include "puente/v1/json.hpp"
#include "sms_sections.hpp"
#include "two_networks.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

namespace puente::test {
namespace {

using namespace std::chrono_literals;
namespace http = boost::beast::http;

struct NetworkSide {
  std::string id;      // "la-city"
  std::string people;  // "city": its responders' ids start so
  std::string prefix;  // its key prefix
  std::string observer;
  std::string phone;   // the observer's
  std::string number;  // the network's, texts come from it
};

const NetworkSide city{"la-city",  "city",         TwoNetworks::city_prefix,
                       "city-obs", "+13235550201", "5550201"};
const NetworkSide county{"la-county",     "county",       TwoNetworks::county_prefix,
                         "county-obs-bh", "+13235550301", "5550301"};

class SmsNetworks : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(KannelGateway::missing_programs(), "")
        << "install kannel and kannel-extras (deploy/install-deps.sh)";
  }

  // Kannel of each network first (its post-url names the node's port, chosen now), then the
  // networks' files, then the node on that port.
  void start() {
    node_port = free_port();
    std::map<std::string, NetworkExtras> extras;
    for (const auto* side : {&city, &county}) {
      const auto file = files.path() / (side->id + "-kannel.conf");
      kannel[side->id] = std::make_unique<KannelGateway>(
          make_gateway_credentials(file, "http://127.0.0.1:" + std::to_string(node_port)));
      extras[side->id].sections =
          sms_sections(file, kannel[side->id]->sendsms_port(), side->number, node_port);
      extras[side->id].responders[side->observer] =
          "phone = \"" + side->phone + "\"\nchannels = [\"sms\"]";
    }
    networks = std::make_unique<TwoNetworks>("", extras);
    for (const auto* side : {&city, &county})
      std::ofstream(networks->dir() / side->id / "caller.key") << std::string(32, side->people[1]);
    node = networks->start_node("a", {"--listen", "127.0.0.1:" + std::to_string(node_port)});
  }

  // The texts `phone` got through `side`'s Kannel.
  std::vector<PhoneSms> texts_to(const NetworkSide& side, const std::string& phone) const {
    std::vector<PhoneSms> out;
    for (auto& sms : kannel.at(side.id)->phone_received())
      if (sms.to == phone) out.push_back(std::move(sms));
    return out;
  }

  const std::string& token(const NetworkSide& side, const std::string& role) const {
    return networks->token(side.people + "-" + role);
  }

  v1::Incident incident(const NetworkSide& side, const std::string& id) {
    auto response = node->call(http::verb::get, "/v1/incidents/" + id, token(side, "disp"));
    EXPECT_EQ(response.status, 200u) << response.body;
    v1::Incident read;
    EXPECT_EQ(wire::from_json(response.body, read), "") << response.body;
    return read;
  }

  // An alert of `own`: texted to its observer alone, from its number, through its Kannel; the
  // delivery report and the reply "2" land in its incident; `other` holds nothing of them.
  void texts_stay_in(const NetworkSide& own, const NetworkSide& other) {
    const auto id = open_incident(*node, token(own, "op"), boyle_heights);
    ASSERT_TRUE(wait_until([&] { return texts_to(own, own.phone).size() == 1; }, 20s))
        << kannel.at(own.id)->logs() << file_text(node->log_path());
    const auto text = texts_to(own, own.phone)[0];
    EXPECT_EQ(text.from, own.number);
    EXPECT_TRUE(text.text.starts_with("UNVERIFIED Raid: Boyle Heights")) << text.text;

    // The fake SMS centre's delivery report, through the dlr-url with the network's credentials.
    const auto delivered = [&] {
      const auto read = incident(own, id);  // kept: a loop over a temporary's field dangles
      for (const auto& d : read.deliveries())
        if (d.responder_id() == own.observer && d.has_text_delivered_at()) return true;
      return false;
    };
    EXPECT_TRUE(wait_until(delivered, 20s)) << kannel.at(own.id)->logs();

    // The reply "2": on scene, in its own incident, and the confirmation texted back.
    kannel.at(own.id)->phone_sends(own.phone + " " + own.number + " text 2");
    const auto acked = [&] {
      const auto read = incident(own, id);
      return read.acks_size() == 1 && read.acks(0).responder_id() == own.observer &&
             read.acks(0).state() == v1::ON_SCENE;
    };
    EXPECT_TRUE(wait_until(acked, 20s)) << kannel.at(own.id)->logs() << file_text(node->log_path());
    EXPECT_TRUE(wait_until([&] { return texts_to(own, own.phone).size() == 2; }, 20s))
        << kannel.at(own.id)->logs();

    // Nothing reached the other network: no text to its observer, and no incident.
    std::this_thread::sleep_for(1s);
    EXPECT_TRUE(texts_to(own, other.phone).empty());
    EXPECT_EQ(node->call(http::verb::get, "/v1/incidents/" + id, token(other, "disp")).status,
              404u);
  }

  TempDir files{"puente-sms-networks-"};
  unsigned short node_port = 0;
  std::map<std::string, std::unique_ptr<KannelGateway>> kannel;  // by network id
  std::unique_ptr<TwoNetworks> networks;
  std::unique_ptr<PuentedNode> node;
};

TEST_F(SmsNetworks, EachNetworksTextsRepliesAndReportsStayInItsOwnNetwork) {
  start();
  texts_stay_in(city, county);
  EXPECT_TRUE(texts_to(county, county.phone).empty()) << "the county texted for a city alert";
  texts_stay_in(county, city);
  EXPECT_EQ(texts_to(city, city.phone).size(), 2u) << "the city texted again for a county alert";
  // Each network's acks are its own observer's alone (its audit log names no one else's).
  for (const auto& [own, other] : {std::pair{&city, &county}, {&county, &city}}) {
    auto list = node->call(http::verb::get, "/v1/incidents", token(*own, "disp"));
    ASSERT_EQ(list.status, 200u) << list.body;
    EXPECT_EQ(list.body.find(other->observer), std::string::npos) << list.body;
    const auto log = node->audit_log(token(*own, "admin"));
    for (const auto& entry : log.entries())
      EXPECT_FALSE(entry.actor().starts_with(other->people)) << wire::to_json(entry);
  }
}

TEST(SmsNetworksConfig, TwoNetworksWithTheSameGatewayCredentialsAreRefused) {
  TempDir files{"puente-sms-networks-"};
  const auto shared = files.path() / "puente-kannel.conf";
  make_gateway_credentials(shared, "http://127.0.0.1:1");
  std::map<std::string, NetworkExtras> extras;
  for (const auto* side : {&city, &county})
    extras[side->id].sections = sms_sections(shared, 9, side->number, 1);
  TwoNetworks networks("", extras);
  for (const auto* side : {&city, &county})
    std::ofstream(networks.dir() / side->id / "caller.key") << std::string(32, 'k');
  const auto log = networks.start_failure("a");
  EXPECT_NE(log.find("networks \"la-city\" and \"la-county\" take the same gateway credentials"),
            std::string::npos)
      << log;
}

}  // namespace
}  // namespace puente::test
