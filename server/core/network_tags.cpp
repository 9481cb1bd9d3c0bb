// Hash tags that spread a deployment's networks over Redis Cluster's slots, and the checks of a
// list of networks (network_tags.hpp).
#include "core/network_tags.hpp"

#include <algorithm>

namespace puente::core {

std::uint16_t network_slot_target(std::size_t index) {
  // Bit-reverse the low 14 bits: 1 -> 8192, 2 -> 4096, 3 -> 12288, ...
  std::uint32_t reversed = 0;
  auto i = static_cast<std::uint32_t>(index % kHashSlots);
  for (int bit = 0; bit < 14; ++bit) reversed |= ((i >> bit) & 1u) << (13 - bit);
  return static_cast<std::uint16_t>(reversed);
}

namespace {
// Distance on the ring of slots: slot 16383 is next to slot 0 in no cluster, but a target of 0
// is as well met by 16383 as by 1 for spreading; the shards' ranges decide, and those are
// linear, so the distance is linear too.
std::uint32_t distance(std::uint32_t a, std::uint32_t b) { return a > b ? a - b : b - a; }
}  // namespace

std::string network_hash_tag(std::string_view id, std::size_t index, SlotOf slot_of) {
  const std::uint32_t target = network_slot_target(index);
  std::string best;
  std::uint32_t best_distance = kHashSlots;
  // CRC16 spreads short strings evenly: about 16384 candidates meet every slot once on
  // average, so 4 times that finds the target itself almost always (and the nearest otherwise).
  for (std::size_t n = 0; n < 4 * kHashSlots && best_distance > 0; ++n) {
    std::string tag = std::string(id) + "-" + std::to_string(n);
    const auto d = distance(slot_of(tag), target);
    if (d < best_distance) {
      best_distance = d;
      best = std::move(tag);
    }
  }
  return best;
}

std::string network_key_prefix(std::string_view tag) {
  return "puente:{" + std::string(tag) + "}:";
}

bool valid_network_id(std::string_view id) {
  if (id.empty() || id.size() > 63 || id.front() == '-') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool has_hash_tag(std::string_view prefix) {
  const auto open = prefix.find('{');
  if (open == std::string_view::npos) return false;
  const auto close = prefix.find('}', open + 1);
  return close != std::string_view::npos && close > open + 1;
}

std::optional<std::string> network_list_problem(const std::vector<NetworkEntry>& networks) {
  for (std::size_t i = 0; i < networks.size(); ++i) {
    const auto& n = networks[i];
    if (!valid_network_id(n.id))
      return "network id \"" + n.id + "\" must be 1 to 63 of a-z, 0-9 and '-', not starting '-'";
    if (n.key_prefix.empty()) return "network \"" + n.id + "\" has no redis.key_prefix";
    if (networks.size() > 1 && !has_hash_tag(n.key_prefix))
      return "network \"" + n.id + "\": redis.key_prefix \"" + n.key_prefix +
             "\" has no hash tag; with several networks each needs one (puente networks "
             "prefixes prints them)";
    for (std::size_t j = 0; j < i; ++j) {
      const auto& m = networks[j];
      if (m.id == n.id) return "network id \"" + n.id + "\" is listed twice";
      if (m.key_prefix.starts_with(n.key_prefix) || n.key_prefix.starts_with(m.key_prefix))
        return "networks \"" + m.id + "\" and \"" + n.id + "\" share redis.key_prefix \"" +
               (m.key_prefix.size() < n.key_prefix.size() ? m.key_prefix : n.key_prefix) +
               "\": their keys would mix";
    }
  }
  return std::nullopt;
}

}  // namespace puente::core
