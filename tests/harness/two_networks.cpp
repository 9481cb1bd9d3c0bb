// Two networks on one deployment for a test (two_networks.hpp).
#include "two_networks.hpp"

#include "core/bearer_token.hpp"

#include <fstream>
#include <utility>
#include <vector>

namespace puente::test {

namespace {

struct NetworkSetup {
  std::string id, name, prefix, geojson, people;
  std::vector<std::pair<std::string, std::string>> responders;  // id, roles and neighborhoods
};

std::vector<NetworkSetup> setups() {
  auto staff = [](const std::string& n) {
    return std::vector<std::pair<std::string, std::string>>{
        {n + "-op", R"(roles = ["operator"])"},
        {n + "-disp", R"(roles = ["dispatcher"])"},
        {n + "-admin", R"(roles = ["admin"])"},
        {n + "-metrics", R"(roles = ["metrics"])"}};
  };
  NetworkSetup city{"la-city",
                    TwoNetworks::city_name,
                    TwoNetworks::city_prefix,
                    "la-city-neighborhoods-v6.geojson",
                    "city",
                    staff("city")};
  city.responders.push_back(
      {"city-obs", "roles = [\"legal_observer\"]\nneighborhoods = [\"boyle-heights\"]"});
  NetworkSetup county{"la-county",
                      TwoNetworks::county_name,
                      TwoNetworks::county_prefix,
                      "la-county-only-neighborhoods-v6.geojson",
                      "county",
                      staff("county")};
  county.responders.push_back(
      {"county-obs", "roles = [\"legal_observer\"]\nneighborhoods = [\"east-los-angeles\"]"});
  county.responders.push_back(
      {"county-obs-bh", "roles = [\"legal_observer\"]\nneighborhoods = [\"boyle-heights\"]"});
  return {city, county};
}

}  // namespace

TwoNetworks::TwoNetworks(const std::string& extra_redis) : config_(dir_.path() / "puented.toml") {
  std::ofstream main(config_);
  // Node-wide: as TestNetwork's nodes (quick polls and shutdown, no rate limits).
  main << "[node]\nthreads = 2\nescalation_poll_ms = 100\nshutdown_grace_ms = 200\n"
       << "state_dir = \"state\"\n"
       << "[redis]\ncommand_timeout_ms = 1000\nreconnect_max_ms = 200\n"
       << extra_redis << "[limits]\nws_hello_seconds = 2\nfailed_sign_in_audit_seconds = 1\n"
       << "[log]\nlevel = \"debug\"\n"
       << "[rate_limits]\nreports_per_token_per_second = 0\nrequests_per_token_per_second = 0\n"
       << "requests_per_address_per_second = 0\nfailed_sign_ins_per_address_per_second = 0\n"
       << "messages_per_socket_per_second = 0\n";
  for (const auto& n : setups()) {
    main << "\n[[networks]]\nid = \"" << n.id << "\"\nname = \"" << n.name << "\"\nfile = \""
         << n.id << "/network.toml\"\n";
    std::filesystem::create_directories(dir() / n.id);
    std::ofstream roster(dir() / n.id / "roster.toml");
    for (const auto& [id, fields] : n.responders) {
      tokens_[id] = core::new_bearer_token();
      roster << "[[responder]]\nid = \"" << id << "\"\nname = \"Test " << id << "\"\n"
             << fields << "\nlanguages = [\"en\"]\ntoken_sha256 = \""
             << core::sha256_hex(tokens_[id]) << "\"\n\n";
    }
    std::ofstream own(dir() / n.id / "network.toml");
    own << "[network]\ntemplates = \"" << PUENTE_SOURCE_DIR << "/config/templates\"\n"
        << "[geography]\nneighborhoods = \"" << PUENTE_LA_DATA << "/" << n.geojson << "\"\n"
        << "[roster]\nfile = \"roster.toml\"\n"
        << "[redis]\nkey_prefix = \"" << n.prefix << "\"\n";
  }
}

std::unique_ptr<PuentedNode> TwoNetworks::start_node(const std::string& name) {
  std::filesystem::create_directories(dir() / name);
  return std::make_unique<PuentedNode>(config_, redis_.port(), name, dir() / name);
}

}  // namespace puente::test
