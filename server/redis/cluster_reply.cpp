// Reading a cluster's redirects and slot map (cluster_reply.hpp).

#include "redis/cluster_reply.hpp"

#include "redis/key_slot.hpp"

#include <algorithm>
#include <charconv>
#include <string>

namespace puente::redis {
namespace {

template <typename Number>
std::optional<Number> whole(std::string_view text, long long max) {
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 0 || value > max) {
    return std::nullopt;
  }
  return static_cast<Number>(value);
}

// "host:port" (the host may hold ':' itself, an IPv6 address: the port is after the last).
std::optional<Endpoint> endpoint_of(std::string_view text, const Endpoint& asked) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return std::nullopt;
  }
  const auto port = whole<unsigned short>(text.substr(colon + 1), 65535);
  if (!port || *port == 0) {
    return std::nullopt;
  }
  const std::string_view host = text.substr(0, colon);
  return Endpoint{host.empty() ? asked.host : std::string(host), *port};
}

// [ip, port, id, ...] of CLUSTER SLOTS.
std::optional<Endpoint> node_of(const Reply& node, const Endpoint& asked) {
  if (node.type != Reply::Type::array || node.elements.size() < 2 ||
      node.elements[0].type != Reply::Type::string ||
      node.elements[1].type != Reply::Type::integer || node.elements[1].integer <= 0 ||
      node.elements[1].integer > 65535) {
    return std::nullopt;
  }
  const std::string& ip = node.elements[0].str;
  const bool unknown = ip.empty() || ip == "?";
  return Endpoint{unknown ? asked.host : ip, static_cast<unsigned short>(node.elements[1].integer)};
}

bool is_range(const Reply& range) {
  return range.type == Reply::Type::array && range.elements.size() >= 3 &&
         range.elements[0].type == Reply::Type::integer &&
         range.elements[1].type == Reply::Type::integer;
}

}  // namespace

Redirect read_cluster_error(std::string_view error, const Endpoint& asked) {
  const auto word_end = error.find(' ');
  const std::string_view word = error.substr(0, word_end);
  if (word == "TRYAGAIN") {
    return {ClusterVerdict::try_again, 0, {}};
  }
  if (word == "CLUSTERDOWN") {
    return {ClusterVerdict::cluster_down, 0, {}};
  }
  if ((word != "MOVED" && word != "ASK") || word_end == std::string_view::npos) {
    return {};
  }
  // "<slot> <host:port>"
  const std::string_view rest = error.substr(word_end + 1);
  const auto space = rest.find(' ');
  if (space == std::string_view::npos) {
    return {};
  }
  const auto slot = whole<std::uint16_t>(rest.substr(0, space), kClusterSlots - 1);
  const auto to = endpoint_of(rest.substr(space + 1), asked);
  if (!slot || !to) {
    return {};
  }
  return {word == "MOVED" ? ClusterVerdict::moved : ClusterVerdict::ask, *slot, *to};
}

ClusterStep next_step(ClusterVerdict verdict, bool sent_asking) {
  if (verdict == ClusterVerdict::answer) {
    return ClusterStep::answer;
  }
  if (sent_asking) {
    return ClusterStep::retry;
  }
  switch (verdict) {
    case ClusterVerdict::moved: return ClusterStep::follow_moved;
    case ClusterVerdict::ask: return ClusterStep::ask_there;
    case ClusterVerdict::cluster_down: return ClusterStep::reread_slots;
    default: return ClusterStep::retry;  // try_again
  }
}

std::optional<Endpoint> owner_of_slot(const Reply& cluster_slots, std::uint16_t slot,
                                      const Endpoint& asked) {
  if (cluster_slots.type != Reply::Type::array) {
    return std::nullopt;
  }
  for (const Reply& range : cluster_slots.elements) {
    if (is_range(range) && range.elements[0].integer <= slot && slot <= range.elements[1].integer) {
      return node_of(range.elements[2], asked);  // the first node of a range is its primary
    }
  }
  return std::nullopt;
}

std::vector<Endpoint> nodes_of(const Reply& cluster_slots, const Endpoint& asked) {
  std::vector<Endpoint> nodes;
  if (cluster_slots.type != Reply::Type::array) {
    return nodes;
  }
  for (const Reply& range : cluster_slots.elements) {
    if (!is_range(range)) {
      continue;
    }
    for (std::size_t i = 2; i < range.elements.size(); ++i) {
      const auto node = node_of(range.elements[i], asked);
      const bool known = node && std::any_of(nodes.begin(), nodes.end(),
                                             [&](const Endpoint& n) { return n == *node; });
      if (node && !known) {
        nodes.push_back(*node);
      }
    }
  }
  return nodes;
}

}  // namespace puente::redis
