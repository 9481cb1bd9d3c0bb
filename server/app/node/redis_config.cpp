#include "app/node/redis_config.hpp"

#include "app/node/config_option.hpp"
#include "redis/key_slot.hpp"

#include <stdexcept>
#include <string>

namespace puente::app {

namespace {

using config_option::get_or;
using config_option::millis;
using config_option::relative_to;
using config_option::strings;
using config_option::whole;

// [redis] sentinels and cluster: lists of "host:port".
std::vector<redis::Endpoint> endpoints_at(const toml::table& t, std::string_view path) {
  std::vector<redis::Endpoint> endpoints;
  for (const auto& text : strings(t, path, {})) {
    redis::Endpoint endpoint;
    parse_host_port(text, endpoint.host, endpoint.port);
    endpoints.push_back(std::move(endpoint));
  }
  return endpoints;
}

}  // namespace

// [redis] cluster (issue 23): a network's keys, scripts and channels must all hash to one slot,
// which only a hash tag in the key prefix gives; the links are bound to that slot.
void bind_cluster_slot(NodeConfig& c) {
  if (c.redis.cluster.empty()) return;
  if (!c.redis.sentinels.empty())
    throw std::runtime_error("config: [redis] cluster and sentinels cannot both be set");
  const auto open = c.key_prefix.find('{');
  const auto close = open == std::string::npos ? open : c.key_prefix.find('}', open + 1);
  if (close == std::string::npos || close == open + 1)
    throw std::runtime_error(
        "config: [redis] cluster needs a hash tag in key_prefix (e.g. "
        "\"puente:{la}:\") so every key of the network is in one slot; \"" +
        c.key_prefix + "\" has none");
  c.redis.cluster_slot = redis::key_slot(c.key_prefix);
}

void read_redis(const toml::table& t, const std::filesystem::path& base, NodeConfig& c) {
  parse_host_port(get_or<std::string>(t, "redis.address", "127.0.0.1:6379"), c.redis.endpoint.host,
                  c.redis.endpoint.port);
  c.key_prefix = get_or<std::string>(t, "redis.key_prefix", c.key_prefix);
  c.redis.connect_timeout = millis(t, "redis.connect_timeout_ms", c.redis.connect_timeout);
  c.redis.command_timeout = millis(t, "redis.command_timeout_ms", c.redis.command_timeout);
  c.redis.reconnect_min = millis(t, "redis.reconnect_min_ms", c.redis.reconnect_min);
  c.redis.reconnect_max = millis(t, "redis.reconnect_max_ms", c.redis.reconnect_max);
  c.redis.sentinels = endpoints_at(t, "redis.sentinels");
  c.redis.cluster = endpoints_at(t, "redis.cluster");
  c.redis.master_name = get_or<std::string>(t, "redis.master_name", c.redis.master_name);
  if (!c.redis.sentinels.empty() && c.redis.master_name.empty())
    throw std::runtime_error("config: redis.master_name must be set when redis.sentinels is");

  // --- Redis ACL user and the link's protection (issue 19 item 2; redis_access.hpp) ---
  c.redis.user = get_or<std::string>(t, "redis.user", "");
  c.redis.password_file = relative_to(base, get_or<std::string>(t, "redis.password_file", ""));
  c.redis.sentinel_user = get_or<std::string>(t, "redis.sentinel_user", "");
  c.redis.sentinel_password_file =
      relative_to(base, get_or<std::string>(t, "redis.sentinel_password_file", ""));
  c.allow_unauthenticated_remote_redis =
      get_or<bool>(t, "redis.allow_unauthenticated_remote", false);

  c.replication.replicas =
      static_cast<int>(whole(t, "redis.replicas_to_wait", c.replication.replicas, 0, 16));
  c.replication.timeout = millis(t, "redis.replica_wait_ms", c.replication.timeout);
  if (c.replication.timeout >= c.redis.command_timeout)
    throw std::runtime_error(
        "config: redis.replica_wait_ms must be below redis.command_timeout_ms");
}

}  // namespace puente::app
