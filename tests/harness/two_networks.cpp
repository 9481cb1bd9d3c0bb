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

TwoNetworks::TwoNetworks(const std::string& extra_redis,
                         const std::map<std::string, NetworkExtras>& extras,
                         const std::string& extra_main)
    : config_(dir_.path() / "puented.toml") {
  std::ofstream main(config_);
  // Node-wide: as TestNetwork's nodes (quick polls and shutdown, no rate limits).
  main << "[node]\nthreads = 2\nescalation_poll_ms = 100\nshutdown_grace_ms = 200\n"
       << "state_dir = \"state\"\n"
       << "[redis]\ncommand_timeout_ms = 1000\nreconnect_max_ms = 200\n"
       << extra_redis << "[limits]\nws_hello_seconds = 2\nfailed_sign_in_audit_seconds = 1\n"
       << "[log]\nlevel = \"debug\"\n"
       << extra_main << "\n";
  if (extra_main.find("[rate_limits]") == std::string::npos)
    main << "[rate_limits]\nreports_per_token_per_second = 0\nrequests_per_token_per_second = 0\n"
         << "requests_per_address_per_second = 0\nfailed_sign_ins_per_address_per_second = 0\n"
         << "messages_per_socket_per_second = 0\n";
  for (const auto& n : setups()) {
    const auto more = extras.find(n.id);
    const auto extra_lines = [&](const std::string& id) {
      if (more == extras.end()) return std::string();
      const auto it = more->second.responders.find(id);
      return it == more->second.responders.end() ? std::string() : it->second + "\n";
    };
    main << "\n[[networks]]\nid = \"" << n.id << "\"\nname = \"" << n.name << "\"\nfile = \""
         << n.id << "/network.toml\"\n";
    std::filesystem::create_directories(dir() / n.id);
    std::ofstream roster(dir() / n.id / "roster.toml");
    for (const auto& [id, fields] : n.responders) {
      tokens_[id] = core::new_bearer_token();
      roster << "[[responder]]\nid = \"" << id << "\"\nname = \"Test " << id << "\"\n"
             << fields << "\nlanguages = [\"en\"]\ntoken_sha256 = \""
             << core::sha256_hex(tokens_[id]) << "\"\n"
             << extra_lines(id) << "\n";
    }
    std::ofstream own(dir() / n.id / "network.toml");
    own << "[network]\ntemplates = \"" << PUENTE_SOURCE_DIR << "/config/templates\"\n"
        << "[geography]\nneighborhoods = \"" << PUENTE_LA_DATA << "/" << n.geojson << "\"\n"
        << "[roster]\nfile = \"roster.toml\"\n"
        << "[redis]\nkey_prefix = \"" << n.prefix << "\"\n"
        << (more == extras.end() ? std::string() : more->second.sections + "\n");
  }
}

std::unique_ptr<PuentedNode> TwoNetworks::start_node(const std::string& name,
                                                     const std::vector<std::string>& extra_args) {
  std::filesystem::create_directories(dir() / name);
  auto node =
      std::make_unique<PuentedNode>(config_, redis_.port(), name, dir() / name, true, extra_args);
  // Its log must hold no bearer token of either network (checked when it stops).
  for (const auto& [id, token] : tokens_) node->secrets_.push_back(token);
  return node;
}

std::string TwoNetworks::start_failure(const std::string& name) {
  return start_failure_log([&] { start_node(name); }, dir(), name);
}

}  // namespace puente::test
