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

#include "test_network.hpp"

#include <map>
#include <memory>
#include <string>

namespace puente::test {

inline constexpr Place east_los_angeles{34.0300, -118.1700};  // unincorporated: county only

class TwoNetworks {
 public:
  // As `puente networks prefixes la-city la-county` prints them: slots 0 and 8192.
  static constexpr const char* city_prefix = "puente:{la-city-12729}:";
  static constexpr const char* county_prefix = "puente:{la-county-39998}:";
  static constexpr const char* city_name = "Los Angeles City";
  static constexpr const char* county_name = "LA County";

  // `extra_redis`: lines for the main file's [redis] section, e.g. a cluster's seeds
  // (cluster_config.hpp); then the nodes use that, not the Redis of redis().
  explicit TwoNetworks(const std::string& extra_redis = "");

  std::unique_ptr<PuentedNode> start_node(const std::string& name);
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
