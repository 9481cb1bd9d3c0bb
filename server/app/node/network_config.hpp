#pragma once
// Several networks on one deployment (issue 23): the main config file keeps the node-wide
// sections ([node], [redis] links, [tls], [web], [limits], [log], [rate_limits], ...) and lists
// the networks in [[networks]] (id, name, file); each network's file holds its own sections
// ([network], [geography], [roster], [tokens], [policy], [delivery], [privacy], [media],
// [evidence], [push], [sms]) and its [redis] key_prefix. Without [[networks]] the main file is
// the one network, as it always was.
//
// Each network's full config is the main one with the network file's sections in place of its
// own: every part of a node that reads a NodeConfig reads a network's the same way.

#include "app/node/config.hpp"
#include "channels/sms/gateway_credentials.hpp"
#include "core/roster.hpp"

#include <toml++/toml.h>

#include <string>
#include <vector>

namespace puente::app {

// [[networks]] of the main file: each entry's id, name and file (relative to `base`). Throws
// std::runtime_error naming the entry at fault.
void read_network_listings(const toml::table& t, const std::filesystem::path& base,
                           std::vector<NetworkListing>& out);

// The config of each network `main` lists; `main` alone when it lists none. Throws
// std::runtime_error naming the network at fault: a file missing or with a node-wide section,
// a missing, shared or untagged key prefix, a duplicate id, per-network sections left in the
// main file. With state_dir set, each network writes under <state_dir>/networks/<id>/ (made
// 0700), so their journals, revocations, keys and media never mix.
std::vector<NodeConfig> network_configs(const NodeConfig& main);

// Throws std::runtime_error naming both networks and the responders when a roster token (its
// hash) is in two networks' rosters: a token must sign in to one network only.
void check_roster_tokens_apart(const std::vector<std::string>& ids,
                               const std::vector<const core::Roster*>& rosters);

// Throws std::runtime_error naming both networks (never a secret) when two networks' [sms] take
// the same gateway credentials, the user:password Kannel presents on its callbacks: a text or a
// delivery report posted with them could be either network's, and would land in the first.
// `credentials[i]`: network i's, null when its SMS is off.
void check_sms_gateways_apart(const std::vector<std::string>& ids,
                              const std::vector<const sms::GatewayCredentials*>& credentials);

}  // namespace puente::app
