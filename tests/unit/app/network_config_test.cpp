// [[networks]] (app/node/network_config.hpp): several networks in one config, each from its own
// file; a config without them is the one network it always was; a bad list is refused at start
// with a sentence naming the network and the problem.
#include "app/node/network_config.hpp"

#include "config_file.hpp"
#include "redis/key_slot.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace puente::app {
namespace {

class NetworkConfig : public ::testing::Test {
 protected:
  test::ConfigFile file;

  void write(const std::string& name, const std::string& toml) {
    std::filesystem::create_directories((file.folder() / name).parent_path());
    std::ofstream(file.folder() / name, std::ios::trunc) << toml;
  }

  // A network file of its own sections, with `prefix` as its key prefix ("" for none).
  void network_file(const std::string& name, const std::string& prefix,
                    const std::string& more = "") {
    write(name,
          "[network]\nname = \"From its file\"\ntime_zone = \"America/New_York\"\n"
          "[geography]\nneighborhoods = \"hoods.geojson\"\n[roster]\nfile = \"roster.toml\"\n" +
              (prefix.empty() ? "" : "[redis]\nkey_prefix = \"" + prefix + "\"\n") + more);
  }

  std::string two_networks(const std::string& main_extra = "") {
    return "[node]\nid = \"n1\"\n[redis]\naddress = \"127.0.0.1:7000\"\n" + main_extra +
           "[[networks]]\nid = \"la-city\"\nname = \"Los Angeles City\"\nfile = "
           "\"city/network.toml\"\n"
           "[[networks]]\nid = \"la-county\"\nfile = \"county/network.toml\"\n";
  }

  // The error network_configs refuses the main file `toml` with; "" if it is taken.
  std::string refusal(const std::string& toml) {
    try {
      network_configs(file.load(toml));
      return {};
    } catch (const std::runtime_error& e) {
      return e.what();
    }
  }
};

TEST_F(NetworkConfig, AConfigWithoutNetworksIsTheOneNetworkUnchanged) {
  auto main =
      file.load("[redis]\nkey_prefix = \"mine:\"\n[geography]\nneighborhoods = \"x.json\"\n");
  auto networks = network_configs(main);
  ASSERT_EQ(networks.size(), 1u);
  EXPECT_EQ(networks[0].network_id, "");
  EXPECT_EQ(networks[0].key_prefix, "mine:");
  EXPECT_EQ(networks[0].neighborhoods_file, file.folder() / "x.json");
  EXPECT_EQ(networks[0].state_dir, main.state_dir);
}

TEST_F(NetworkConfig, EachNetworkHasTheNodeWideOptionsAndItsOwnSections) {
  network_file("city/network.toml", "puente:{la-city-0}:");
  network_file("county/network.toml",
               "puente:{la-county-1}:", "[privacy]\nretention_seconds = 7200\n");
  auto main = file.load(two_networks());
  main.state_dir = file.folder() / "state";
  auto networks = network_configs(main);
  ASSERT_EQ(networks.size(), 2u);
  EXPECT_EQ(networks[0].network_id, "la-city");
  EXPECT_EQ(networks[0].network_name, "Los Angeles City");  // the listing's name wins
  EXPECT_EQ(networks[1].network_name, "From its file");
  EXPECT_EQ(networks[0].key_prefix, "puente:{la-city-0}:");
  EXPECT_EQ(networks[1].key_prefix, "puente:{la-county-1}:");
  // Paths in a network's file are relative to that file.
  EXPECT_EQ(networks[0].neighborhoods_file, file.folder() / "city" / "hoods.geojson");
  EXPECT_EQ(networks[1].roster_file, file.folder() / "county" / "roster.toml");
  EXPECT_EQ(networks[0].time_zone, "America/New_York");
  EXPECT_EQ(networks[1].retention, std::chrono::seconds(7200));
  // Node-wide options come from the main file.
  EXPECT_EQ(networks[1].node_id, "n1");
  EXPECT_EQ(networks[1].redis.endpoint.port, 7000);
  // State files never clash.
  EXPECT_EQ(networks[0].state_dir, file.folder() / "state" / "networks" / "la-city");
  EXPECT_EQ(networks[1].journal_file,
            file.folder() / "state" / "networks" / "la-county" / "n1.journal");
  EXPECT_TRUE(std::filesystem::is_directory(networks[1].state_dir));
}

TEST_F(NetworkConfig, OnAClusterEachNetworksLinksAreBoundToItsOwnPrefixsSlot) {
  network_file("city/network.toml", "puente:{la-city-0}:");
  network_file("county/network.toml", "puente:{la-county-1}:");
  // The main file has no key prefix of its own: with [[networks]] that is no error.
  auto networks = network_configs(file.load(two_networks("cluster = [\"127.0.0.1:7001\"]\n")));
  ASSERT_EQ(networks.size(), 2u);
  EXPECT_EQ(networks[0].redis.cluster.size(), 1u);
  EXPECT_EQ(networks[0].redis.cluster_slot, redis::key_slot("la-city-0"));
  EXPECT_EQ(networks[1].redis.cluster_slot, redis::key_slot("la-county-1"));
  EXPECT_NE(networks[0].redis.cluster_slot, networks[1].redis.cluster_slot);
}

TEST_F(NetworkConfig, DuplicateIdsAreRefused) {
  network_file("city/network.toml", "puente:{a-1}:");
  network_file("county/network.toml", "puente:{b-1}:");
  auto error = refusal(
      "[[networks]]\nid = \"a\"\nfile = \"city/network.toml\"\n"
      "[[networks]]\nid = \"a\"\nfile = \"county/network.toml\"\n");
  EXPECT_NE(error.find("network id \"a\" is listed twice"), std::string::npos) << error;
}

TEST_F(NetworkConfig, ASharedPrefixIsRefused) {
  network_file("city/network.toml", "puente:{la-1}:");
  network_file("county/network.toml", "puente:{la-1}:");
  auto error = refusal(two_networks());
  EXPECT_NE(error.find("share redis.key_prefix \"puente:{la-1}:\""), std::string::npos) << error;
}

TEST_F(NetworkConfig, APrefixWithoutAHashTagIsRefused) {
  network_file("city/network.toml", "puente:{la-city-0}:");
  network_file("county/network.toml", "county:");
  auto error = refusal(two_networks());
  EXPECT_NE(error.find("\"la-county\": redis.key_prefix \"county:\" has no hash tag"),
            std::string::npos)
      << error;
}

TEST_F(NetworkConfig, AMissingPrefixIsRefused) {
  network_file("city/network.toml", "puente:{la-city-0}:");
  network_file("county/network.toml", "");
  auto error = refusal(two_networks());
  EXPECT_NE(error.find("network \"la-county\": its file sets no redis.key_prefix"),
            std::string::npos)
      << error;
}

TEST_F(NetworkConfig, AMissingFileIsRefused) {
  network_file("city/network.toml", "puente:{la-city-0}:");
  auto error = refusal(two_networks());
  EXPECT_NE(error.find("network \"la-county\": its file"), std::string::npos) << error;
  EXPECT_NE(error.find("cannot be read"), std::string::npos) << error;
}

TEST_F(NetworkConfig, NodeWideSectionsInANetworkFileAreRefused) {
  network_file("city/network.toml", "puente:{la-city-0}:", "[tls]\ncertificate_file = \"x\"\n");
  network_file("county/network.toml", "puente:{la-county-1}:");
  auto error = refusal(two_networks());
  EXPECT_NE(error.find("network \"la-city\": [tls] is node-wide"), std::string::npos) << error;
}

TEST_F(NetworkConfig, NetworkSectionsLeftInTheMainFileAreRefused) {
  network_file("city/network.toml", "puente:{la-city-0}:");
  network_file("county/network.toml", "puente:{la-county-1}:");
  auto error = refusal(two_networks("[geography]\nneighborhoods = \"x.json\"\n"));
  EXPECT_NE(error.find("[geography] belongs in each network's own file"), std::string::npos)
      << error;
}

TEST_F(NetworkConfig, BadIdsAreRefused) {
  network_file("city/network.toml", "puente:{la-city-0}:");
  auto error = refusal("[[networks]]\nid = \"LA City\"\nfile = \"city/network.toml\"\n");
  EXPECT_NE(error.find("id \"LA City\" must be"), std::string::npos) << error;
}

TEST(RosterTokens, ATokenInTwoNetworksRostersIsRefused) {
  const std::string hash(64, 'a');
  auto city = core::Roster::from_toml(
      "[[responder]]\nid = \"ana\"\nname = \"Ana\"\nroles = "
      "[\"operator\"]\ntoken_sha256 = \"" +
      hash + "\"\n");
  auto county = core::Roster::from_toml(
      "[[responder]]\nid = \"bo\"\nname = \"Bo\"\nroles = "
      "[\"operator\"]\ntoken_sha256 = \"" +
      hash + "\"\n");
  auto other = core::Roster::from_toml(
      "[[responder]]\nid = \"bo\"\nname = \"Bo\"\nroles = "
      "[\"operator\"]\ntoken_sha256 = \"" +
      std::string(64, 'b') + "\"\n");
  try {
    check_roster_tokens_apart({"la-city", "la-county"}, {&city, &county});
    ADD_FAILURE() << "a shared token was taken";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("responder bo of network \"la-county\" has the same "
                                         "token as a responder of network \"la-city\""),
              std::string::npos)
        << e.what();
  }
  EXPECT_NO_THROW(check_roster_tokens_apart({"la-city", "la-county"}, {&city, &other}));
}

TEST(SmsGateways, TheSameGatewayCredentialsInTwoNetworksAreRefused) {
  sms::GatewayCredentials city{"puente", "sendsms-city-0000", "kannel", "gateway-pass-000001"};
  sms::GatewayCredentials county = city;
  try {
    check_sms_gateways_apart({"la-city", "la-county", "pasadena"}, {&city, nullptr, &county});
    ADD_FAILURE() << "shared gateway credentials were taken";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("networks \"la-city\" and \"pasadena\" take the same gateway"),
              std::string::npos)
        << what;
    EXPECT_EQ(what.find("gateway-pass-000001"), std::string::npos) << "a secret in " << what;
  }
  // Another password is another header Kannel sends: told apart.
  county.gateway_password = "gateway-pass-000002";
  EXPECT_NO_THROW(
      check_sms_gateways_apart({"la-city", "la-county", "pasadena"}, {&city, nullptr, &county}));
  EXPECT_NO_THROW(check_sms_gateways_apart({"la-city", "la-county"}, {nullptr, nullptr}));
}

}  // namespace
}  // namespace puente::app
