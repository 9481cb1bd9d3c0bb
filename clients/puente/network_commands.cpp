// puente networks prefixes ID...: the [redis] key_prefix of each network of a deployment, in the
// order given (no server). Each prefix's hash tag puts the network's keys in one Redis Cluster
// slot, spread evenly over the shards (core/network_tags.hpp). Printed once for the operator to
// paste into each network's file: a node never derives them, so reordering networks later moves
// no one's data. A network added later is given with those before it, in their order.

#include "commands.hpp"
#include "core/network_tags.hpp"
#include "redis/key_slot.hpp"

#include <iostream>
#include <stdexcept>

namespace puente::cli {
namespace {

void run_prefixes(const std::vector<std::string>& ids, const GlobalOptions& global) {
  for (const auto& id : ids)
    if (!core::valid_network_id(id))
      throw std::runtime_error("network id \"" + id +
                               "\" must be 1 to 63 of a-z, 0-9 and '-', not starting '-'");
  if (global.json) std::cout << "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto tag = core::network_hash_tag(ids[i], i, redis::key_slot);
    const auto prefix = core::network_key_prefix(tag);
    if (global.json)
      std::cout << (i ? "," : "") << "{\"id\":\"" << ids[i] << "\",\"keyPrefix\":\"" << prefix
                << "\",\"slot\":" << redis::key_slot(prefix) << "}";
    else
      std::cout << ids[i] << ": key_prefix = \"" << prefix << "\"  # slot "
                << redis::key_slot(prefix) << "\n";
  }
  if (global.json) std::cout << "]\n";
}

}  // namespace

void add_network_commands(CLI::App& app, const GlobalOptions& global) {
  auto* networks = app.add_subcommand("networks", "The networks of a deployment (no server)");
  networks->require_subcommand(1);
  auto ids = std::make_shared<std::vector<std::string>>();
  auto* prefixes = networks->add_subcommand(
      "prefixes", "Print each network's [redis] key_prefix, spread over Redis Cluster's slots");
  prefixes->add_option("ids", *ids, "The networks' ids, in [[networks]] order")->required();
  prefixes->footer(
      "Paste each line into that network's file. Give a new network after the existing ones:\n"
      "their prefixes stay the same.");
  prefixes->callback([ids, &global] { run_prefixes(*ids, global); });
}

}  // namespace puente::cli
