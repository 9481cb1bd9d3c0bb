#include "sentinel_cluster.hpp"

#include "free_port.hpp"
#include "redis_probe.hpp"
#include "wait_until.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <utility>

namespace puente::test {
namespace {

// The number of entries of an array reply (SENTINEL replicas, SENTINEL sentinels); -1 if not.
long entries(const RedisReplyPtr& reply) {
  return reply && reply->type == REDIS_REPLY_ARRAY ? static_cast<long>(reply->elements) : -1;
}

}  // namespace

template <typename Condition>
void SentinelCluster::await(const std::string& what, Condition&& condition) const {
  if (!wait_until(std::forward<Condition>(condition), default_deadline)) {
    throw std::runtime_error("SentinelCluster: waited 30 s for " + what + "; logs in " +
                             dir_.path().string() + " (PUENTE_KEEP_TEST_DIRS=1 keeps them)");
  }
}

SentinelCluster::SentinelCluster() : dir_("puente-sentinel-") {
  primary_ = std::make_unique<RedisServer>();
  replica_ = std::make_unique<RedisServer>(
      std::vector<std::string>{"--replicaof", host_, std::to_string(primary_->port())});
  for (int index = 0; index < 3; ++index) {
    start_sentinel(index);
  }

  // A failover needs a replica with the data, and two sentinels that know each other to
  // agree the primary is down (quorum 2) and to elect a leader among the three.
  await("the replica in sync with the primary", [&] {
    return redis_answer_has(replica_port(), {"INFO", "replication"}, "master_link_status:up");
  });
  for (const unsigned short sentinel : sentinel_ports_) {
    const std::string which = "sentinel on port " + std::to_string(sentinel);
    await(which + " to name the primary",
          [&] { return primary_named_by(sentinel) == primary_port(); });
    await(which + " to know the replica", [&] {
      return entries(ask_redis(sentinel, {"SENTINEL", "replicas", master_name})) == 1;
    });
    await(which + " to know the other two sentinels", [&] {
      return entries(ask_redis(sentinel, {"SENTINEL", "sentinels", master_name})) == 2;
    });
  }
}

SentinelCluster::~SentinelCluster() = default;

void SentinelCluster::start_sentinel(int index) {
  const auto config = dir_.path() / ("sentinel-" + std::to_string(index) + ".conf");
  const auto log = dir_.path() / ("sentinel-" + std::to_string(index) + ".log");
  for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
    const unsigned short port = free_port();
    {
      // Rewritten by the sentinel (it records its peers and its own id), hence a file of its
      // own, not command-line options.
      std::ofstream out(config, std::ios::trunc);
      out << "port " << port << "\n"
          << "bind " << host_ << "\n"
          << "daemonize no\n"
          << "dir " << dir_.path().string() << "\n"
          << "sentinel monitor " << master_name << " " << host_ << " " << primary_->port() << " 2\n"
          << "sentinel down-after-milliseconds " << master_name << " 1000\n"
          << "sentinel failover-timeout " << master_name << " 3000\n"
          << "sentinel parallel-syncs " << master_name << " 1\n";
      if (!out) {
        throw std::runtime_error("SentinelCluster: cannot write " + config.string());
      }
    }
    ChildProcess process(redis_server_binary(), {config.string(), "--sentinel"}, log);
    const bool up = wait_until(
        [&] {
          if (!process.running()) {
            return true;  // exited: most likely the port was taken; try another
          }
          const auto pong = ask_redis(port, {"PING"});
          return pong && pong->type == REDIS_REPLY_STATUS && std::string_view(pong->str) == "PONG";
        },
        default_deadline);
    if (up && process.running()) {
      sentinel_ports_.push_back(port);
      sentinels_.push_back(std::move(process));
      return;
    }
  }
  throw std::runtime_error("SentinelCluster: sentinel " + std::to_string(index) +
                           " would not start; see " + log.string());
}

std::string SentinelCluster::sentinel_list() const {
  std::string list;
  for (const unsigned short port : sentinel_ports_) {
    list += (list.empty() ? "" : ",") + host_ + ":" + std::to_string(port);
  }
  return list;
}

void SentinelCluster::kill_primary() { primary_->kill(); }

bool SentinelCluster::wait_for_primary(unsigned short port,
                                       std::chrono::milliseconds timeout) const {
  return wait_until(
      [&] {
        for (const unsigned short sentinel : sentinel_ports_) {
          if (primary_named_by(sentinel) != port) {
            return false;
          }
        }
        return role_of(port) == "master";
      },
      timeout);
}

std::optional<unsigned short> SentinelCluster::primary_named_by(
    unsigned short sentinel_port) const {
  const auto reply = ask_redis(sentinel_port, {"SENTINEL", "get-master-addr-by-name", master_name});
  if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 ||
      reply->element[1]->type != REDIS_REPLY_STRING) {
    return std::nullopt;
  }
  return static_cast<unsigned short>(std::strtoul(reply->element[1]->str, nullptr, 10));
}

std::optional<std::string> SentinelCluster::role_of(unsigned short port) const {
  const auto reply = ask_redis(port, {"ROLE"});
  if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements == 0 ||
      reply->element[0]->type != REDIS_REPLY_STRING) {
    return std::nullopt;
  }
  return std::string(reply->element[0]->str, reply->element[0]->len);
}

}  // namespace puente::test
