// Where a link connects, the first step of each attempt (link.hpp): the configured endpoint, the
// primary the sentinels name, or the primary of the link's slot the cluster names; and what the
// link learns for the next attempt (the sentinel or node that answered goes first, the nodes a
// cluster's answer names are kept, a -MOVED target is asked first).

#include "redis/link.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>

namespace puente::redis {
namespace {

std::string host_port(const Endpoint& endpoint) {
  return endpoint.host + ":" + std::to_string(endpoint.port);
}

}  // namespace

void Link::redirect(const Endpoint& owner, std::string_view why) {
  auto& nodes = options_.cluster;
  nodes.erase(std::remove_if(nodes.begin(), nodes.end(),
                             [&](const Endpoint& node) { return node == owner; }),
              nodes.end());
  nodes.insert(nodes.begin(), owner);
  drop(why);
}

void Link::begin_attempt() {
  const std::uint64_t attempt = ++attempt_;
  if (options_.sentinels.empty() && options_.cluster.empty()) {
    connect_to(options_.endpoint);
    return;
  }
  state_ = State::discovering;
  auto answered = [this, guard = guard_, attempt](SentinelQuery::Answer answer) {
    const auto owner = guard.lock();
    if (!owner || attempt != attempt_ || state_ != State::discovering) {
      return;
    }
    on_discovered(std::move(answer));
  };
  if (clustered()) {
    query_ = SentinelQuery::start_slot_owner(
        strand_, options_.cluster, options_.cluster_slot, options_.connect_timeout,
        SentinelAuth{options_.user, options_.password_file}, std::move(answered));
    return;
  }
  query_ = SentinelQuery::start(
      strand_, options_.sentinels, options_.master_name, options_.connect_timeout,
      SentinelAuth{options_.sentinel_user, options_.sentinel_password_file}, std::move(answered));
}

void Link::learn_nodes(std::size_t answered, const std::vector<Endpoint>& learned) {
  auto& nodes = options_.cluster;
  const auto first = nodes.begin() + static_cast<std::ptrdiff_t>(answered);
  std::rotate(nodes.begin(), first, std::next(first));
  // A cluster of a few shards names a few nodes: the list stays short.
  for (const Endpoint& node : learned) {
    if (std::none_of(nodes.begin(), nodes.end(), [&](const Endpoint& n) { return n == node; }))
      nodes.push_back(node);
  }
}

void Link::on_discovered(SentinelQuery::Answer answer) {
  query_.reset();
  if (!answer.primary) {
    attempt_failed(answer.why);
    return;
  }
  const Endpoint& primary = *answer.primary;
  if (clustered()) {
    learn_nodes(answer.sentinel, answer.learned);
    if (primary != target_) {
      spdlog::info("redis {} link: the cluster names {} as primary of slot {}", role_,
                   host_port(primary), options_.cluster_slot);
    }
    connect_to(primary);
    return;
  }
  // The sentinel that answered is asked first next time; the others keep their order.
  auto& sentinels = options_.sentinels;
  const auto answered = sentinels.begin() + static_cast<std::ptrdiff_t>(answer.sentinel);
  std::rotate(sentinels.begin(), answered, std::next(answered));

  if (primary != target_) {
    spdlog::info("redis {} link: sentinels name {} as primary {}", role_, host_port(primary),
                 options_.master_name);
  }
  connect_to(primary);
}

}  // namespace puente::redis
