#pragma once
// Which Redis Cluster hash tag each network of a deployment gets, and the checks a list of
// networks must pass (issue 23). A network's keys, scripts and channels share one tag, so one
// slot: every script touches one slot and the network's traffic stays on one shard.
//
// Redis Cluster gives each primary one contiguous range of the 16384 slots. Tags named
// `{0}`, `{1}`, ... land wherever CRC16 throws them and clump (about half of 16 shards idle at
// 32 networks, as Centrifugo found). Here the i-th network aims at a target slot from the van
// der Corput (bit-reversal) sequence: 0, 8192, 4096, 12288, 2048, ... Each new target halves
// the largest gap left, and the targets of the first networks never move when more are added.
// The tag is `<id>-<n>` with the smallest n whose slot is nearest the target.
//
// The node never derives a prefix by itself: reordering the networks in a config would move
// their data. `puente networks prefixes` prints them once and the operator pastes them.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace puente::core {

inline constexpr std::uint32_t kHashSlots = 16384;

// The slot a key hashes to (redis::key_slot: the caller passes it, core has no Redis).
using SlotOf = std::uint16_t (*)(std::string_view key);

// The i-th term of the van der Corput sequence, scaled to the 16384 slots.
std::uint16_t network_slot_target(std::size_t index);

// `<id>-<n>` whose slot is nearest network_slot_target(index) (the smallest such n).
std::string network_hash_tag(std::string_view id, std::size_t index, SlotOf slot_of);

// "puente:{<tag>}:", the key prefix a network's [redis] key_prefix is set to.
std::string network_key_prefix(std::string_view tag);

// A network id: 1 to 63 of [a-z0-9-], not starting with '-'.
bool valid_network_id(std::string_view id);

// True if `prefix` holds a non-empty hash tag ("{...}"), as redis::key_slot reads one.
bool has_hash_tag(std::string_view prefix);

struct NetworkEntry {
  std::string id;
  std::string key_prefix;
};

// What is wrong with a deployment's list of networks, naming the network; nullopt if nothing.
// Ids valid and distinct; prefixes given, distinct, neither a prefix of another (their keys
// would mix) and, with more than one network, each with a hash tag.
std::optional<std::string> network_list_problem(const std::vector<NetworkEntry>& networks);

}  // namespace puente::core
