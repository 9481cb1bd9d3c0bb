#pragma once
// The [redis] section of a node's config (config/puented.toml documents each option): where
// Redis is (one address, sentinels or a cluster's seeds), the key prefix, timeouts, the ACL
// user, replication. Apart from config.cpp because each network of a deployment binds its own
// links to its own slot (network_config.cpp).

#include "app/node/config.hpp"

#include <toml++/toml.h>

#include <filesystem>

namespace puente::app {

// Reads [redis] of `t` into `c`; paths relative to `base`. Throws std::runtime_error naming the
// option at fault.
void read_redis(const toml::table& t, const std::filesystem::path& base, NodeConfig& c);

// [redis] cluster: checks that c.key_prefix holds a hash tag and binds c.redis's links to that
// tag's slot; nothing without a cluster. Throws std::runtime_error naming what is wrong.
void bind_cluster_slot(NodeConfig& c);

}  // namespace puente::app
