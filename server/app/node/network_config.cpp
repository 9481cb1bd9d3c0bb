// The networks of a deployment, read from the main config's [[networks]] and each network's own
// file (network_config.hpp).
#include "app/node/network_config.hpp"

#include "app/node/config_option.hpp"
#include "app/node/install_layout.hpp"
#include "app/node/redis_config.hpp"
#include "core/network_tags.hpp"

#include <set>
#include <stdexcept>
#include <unordered_map>

namespace puente::app {

namespace {

// The sections a network's file may hold; [redis] only for its key_prefix.
const std::set<std::string, std::less<>> network_sections{
    "network", "geography", "roster",   "tokens", "policy", "delivery",
    "privacy", "media",     "evidence", "push",   "sms",    "redis"};

std::runtime_error network_error(const std::string& id, const std::string& what) {
  return std::runtime_error("config: network \"" + id + "\": " + what);
}

toml::table parse(const std::filesystem::path& file, const std::string& id) {
  try {
    return toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw network_error(id, file.string() + ": " + std::string(e.description()));
  }
}

// The network's own sections, from its file: everything load_config reads of them.
void take_network_sections(NodeConfig& into, NodeConfig&& own) {
  into.key_prefix = std::move(own.key_prefix);
  into.neighborhoods_file = std::move(own.neighborhoods_file);
  into.geo_fields = std::move(own.geo_fields);
  into.geocoder = std::move(own.geocoder);
  into.roster_file = std::move(own.roster_file);
  into.revocations_file = std::move(own.revocations_file);
  into.token_reload = own.token_reload;
  into.time_zone = std::move(own.time_zone);
  into.templates_dir = std::move(own.templates_dir);
  into.default_language = std::move(own.default_language);
  into.text = std::move(own.text);  // [policy] and [delivery], parsed once geography is known
  into.caller_key_file = std::move(own.caller_key_file);
  into.caller_country_code = own.caller_country_code;
  into.retention = own.retention;
  into.purge_interval = own.purge_interval;
  into.aof_rewrite_interval = own.aof_rewrite_interval;
  into.push = std::move(own.push);
  into.sms = std::move(own.sms);
  into.media = std::move(own.media);
  into.network_name = std::move(own.network_name);
}

NodeConfig network_config(const NodeConfig& main, const NetworkListing& listing) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(listing.file, ec))
    throw network_error(listing.id, "its file " + listing.file.string() + " cannot be read");
  const auto table = parse(listing.file, listing.id);
  for (const auto& [key, value] : table) {
    if (!network_sections.contains(key.str()))
      throw network_error(listing.id, "[" + std::string(key.str()) +
                                          "] is node-wide: it belongs in the main config file");
  }
  if (const auto* redis = table["redis"].as_table()) {
    for (const auto& [key, value] : *redis)
      if (key.str() != "key_prefix")
        throw network_error(listing.id, "redis." + std::string(key.str()) +
                                            " is node-wide: only redis.key_prefix goes here");
  }
  if (!table.at_path("redis.key_prefix"))
    throw network_error(listing.id,
                        "its file sets no redis.key_prefix (puente networks "
                        "prefixes prints one for each network)");
  NodeConfig own;
  try {
    own = load_config(listing.file);
  } catch (const std::exception& e) {
    throw network_error(listing.id, e.what());
  }
  NodeConfig network = main;
  network.networks.clear();
  take_network_sections(network, std::move(own));
  network.network_id = listing.id;
  try {
    bind_cluster_slot(network);  // on a cluster, this network's links follow its own slot
  } catch (const std::exception& e) {
    throw network_error(listing.id, e.what());
  }
  if (!listing.name.empty()) network.network_name = listing.name;
  if (!main.state_dir.empty()) {
    network.state_dir = main.state_dir / "networks" / listing.id;
    if (std::filesystem::create_directories(network.state_dir, ec))
      std::filesystem::permissions(network.state_dir, std::filesystem::perms::owner_all, ec);
    if (ec || !std::filesystem::is_directory(network.state_dir))
      throw network_error(listing.id,
                          "its state folder " + network.state_dir.string() + " cannot be made");
    network.journal_file = journal_file_in(network.state_dir, {}, network.node_id);
  }
  return network;
}

}  // namespace

void read_network_listings(const toml::table& t, const std::filesystem::path& base,
                           std::vector<NetworkListing>& out) {
  auto listed = t.at_path("networks");
  if (!listed) return;
  if (!listed.is_array_of_tables())
    throw std::runtime_error("config: networks must be a list of [[networks]] tables");
  for (const auto& item : *listed.as_array()) {
    const auto& entry = *item.as_table();
    NetworkListing n;
    n.id = config_option::get_or<std::string>(entry, "id", "");
    n.name = config_option::get_or<std::string>(entry, "name", "");
    const auto file = config_option::get_or<std::string>(entry, "file", "");
    if (n.id.empty() || file.empty())
      throw std::runtime_error("config: each [[networks]] entry needs an id and a file");
    n.file = config_option::relative_to(base, file);
    out.push_back(std::move(n));
  }
}

std::vector<NodeConfig> network_configs(const NodeConfig& main) {
  if (main.networks.empty()) return {main};
  // A per-network section left in the main file would be silently ignored: say so instead.
  const auto main_table = toml::parse(main.text);
  for (const auto& [key, value] : main_table)
    if (key.str() != "redis" && network_sections.contains(key.str()))
      throw std::runtime_error("config: with [[networks]], [" + std::string(key.str()) +
                               "] belongs in each network's own file");
  if (main_table.at_path("redis.key_prefix"))
    throw std::runtime_error(
        "config: with [[networks]], redis.key_prefix belongs in each network's own file");
  std::vector<NodeConfig> out;
  std::vector<core::NetworkEntry> entries;
  for (const auto& listing : main.networks) {
    if (!core::valid_network_id(listing.id))
      throw std::runtime_error("config: [[networks]] id \"" + listing.id +
                               "\" must be 1 to 63 of a-z, 0-9 and '-'");
    out.push_back(network_config(main, listing));
    entries.push_back({listing.id, out.back().key_prefix});
  }
  if (auto problem = core::network_list_problem(entries))
    throw std::runtime_error("config: " + *problem);
  return out;
}

void check_roster_tokens_apart(const std::vector<std::string>& ids,
                               const std::vector<const core::Roster*>& rosters) {
  std::unordered_map<std::string, std::size_t> network_of_hash;
  for (std::size_t i = 0; i < rosters.size(); ++i)
    for (const auto& who : rosters[i]->responders()) {
      if (who.token_sha256.empty()) continue;
      auto [it, added] = network_of_hash.emplace(who.token_sha256, i);
      if (!added && it->second != i)
        throw std::runtime_error("roster: responder " + who.id + " of network \"" + ids[i] +
                                 "\" has the same token as a responder of network \"" +
                                 ids[it->second] +
                                 "\"; a token signs in to one network only: give one a new one");
    }
}

void check_sms_gateways_apart(const std::vector<std::string>& ids,
                              const std::vector<const sms::GatewayCredentials*>& credentials) {
  for (std::size_t i = 0; i < credentials.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (credentials[i] && credentials[j] &&
          credentials[i]->gateway_username == credentials[j]->gateway_username &&
          credentials[i]->gateway_password == credentials[j]->gateway_password)
        throw std::runtime_error(
            "sms: networks \"" + ids[j] + "\" and \"" + ids[i] +
            "\" take the same gateway credentials ([sms] credentials_file): a reply or a delivery "
            "report from Kannel could not be told apart; make each network its own "
            "(deploy/kannel/make-credentials.sh)");
}

}  // namespace puente::app
