#pragma once
// Two networks on one deployment for a test (issue 23, docs/networks.md): LA City and the rest of
// LA County, each with its own geography (../shared/data/la, never copied), roster of fresh
// random tokens, name and key prefix, listed in one main config; one real redis-server; any
// number of real puented nodes serving both.
//
// Responders, by network ("city-..." of la-city, "county-..." of la-county), English readers:
//   <n>-op: operator   <n>-disp: dispatcher   <n>-admin: admin   <n>-metrics: metrics
//   city-obs: legal_observer @ boyle-heights   county-obs: legal_observer @ east-los-angeles
//   county-obs-bh: legal_observer @ boyle-heights (the county's file has one too)
// A test may add to each network's own files (NetworkExtras): sections of its network.toml
// ([push], [sms], ...) and lines of a responder's roster entry (a phone number).

#include "test_network.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace puente::test {

inline constexpr Place east_los_angeles{34.0300, -118.1700};  // unincorporated: county only

// More of one network's own files, in its folder dir()/<id>/ (paths there are relative to it).
struct NetworkExtras {
  std::string sections;                           // appended to its network.toml
  std::map<std::string, std::string> responders;  // id -> lines appended to its roster entry
};

class TwoNetworks {
 public:
  // As `puente networks prefixes la-city la-county` prints them: slots 0 and 8192.
  static constexpr const char* city_prefix = "puente:{la-city-12729}:";
  static constexpr const char* county_prefix = "puente:{la-county-39998}:";
  static constexpr const char* city_name = "Los Angeles City";
  static constexpr const char* county_name = "LA County";

  // `extra_redis`: lines for the main file's [redis] section, e.g. a cluster's seeds
  // (cluster_config.hpp); then the nodes use that, not the Redis of redis(). `extras`: more of
  // each network's files, by network id ("la-city", "la-county"). `extra_main`: more sections of
  // the main file (a [rate_limits] there replaces the one that limits nothing).
  explicit TwoNetworks(const std::string& extra_redis = "",
                       const std::map<std::string, NetworkExtras>& extras = {},
                       const std::string& extra_main = "");

  // `extra_args`: more flags for puented ("--listen 127.0.0.1:<port>" replaces port 0).
  std::unique_ptr<PuentedNode> start_node(const std::string& name,
                                          const std::vector<std::string>& extra_args = {});
  // The log of node `name`, which must refuse to start (the test fails if it starts).
  std::string start_failure(const std::string& name);
  const std::string& token(const std::string& responder_id) const {
    return tokens_.at(responder_id);
  }
  RedisServer& redis() { return redis_; }
  const std::filesystem::path& dir() const { return dir_.path(); }

 private:
  TempDir dir_{"puente-networks-"};
  RedisServer redis_;
  std::map<std::string, std::string> tokens_;
  std::filesystem::path config_;
};

}  // namespace puente::test
