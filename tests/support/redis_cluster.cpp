#include "redis_cluster.hpp"

#include "child_process.hpp"
#include "free_port.hpp"
#include "redis_probe.hpp"
#include "wait_until.hpp"

#include <stdexcept>
#include <string_view>

namespace puente::test {
namespace {

// CLUSTER SLOTS: [[first slot, last slot, [primary host, port, id], [replica ...]...], ...].
std::optional<unsigned short> slot_owner(const redisReply& ranges, std::uint16_t slot) {
  for (std::size_t i = 0; i < ranges.elements; ++i) {
    const redisReply* range = ranges.element[i];
    if (range->type != REDIS_REPLY_ARRAY || range->elements < 3) continue;
    const long long first = range->element[0]->integer;
    const long long last = range->element[1]->integer;
    const redisReply* primary = range->element[2];
    if (slot < first || slot > last || primary->type != REDIS_REPLY_ARRAY || primary->elements < 2)
      continue;
    return static_cast<unsigned short>(primary->element[1]->integer);
  }
  return std::nullopt;
}

}  // namespace

RedisCluster::RedisCluster() : dir_("puente-cluster-") {
  for (int i = 0; i < 2 * kPrimaries; ++i)
    // The bus port is chosen too: by default it is port + 10000, past 65535 for a high port.
    nodes_.push_back(std::make_unique<RedisServer>(
        std::vector<std::string>{"--cluster-enabled", "yes", "--cluster-node-timeout", "1000",
                                 "--cluster-port", std::to_string(free_port())}));

  std::vector<std::string> args = {"--cluster", "create"};
  for (const auto port : ports()) args.push_back("127.0.0.1:" + std::to_string(port));
  args.insert(args.end(), {"--cluster-replicas", "1", "--cluster-yes"});
  const auto log = dir_.path() / "redis-cli.log";
  ChildProcess create("redis-cli", args, log);
  const auto created = create.wait_for_exit(default_deadline);
  if (!created || !created->exited || created->code != 0)
    throw std::runtime_error("RedisCluster: redis-cli --cluster create failed; see " +
                             log.string() + " (PUENTE_KEEP_TEST_DIRS=1 keeps it)");
  if (!wait_until_ok())
    throw std::runtime_error("RedisCluster: no cluster_state:ok on every node within 30 s");
  const bool replicas_in_sync = wait_until(
      [&] {
        int in_sync = 0;
        for (const auto port : ports())
          in_sync += redis_answer_has(port, {"INFO", "replication"}, "master_link_status:up");
        return in_sync == kPrimaries;
      },
      default_deadline);
  if (!replicas_in_sync)
    throw std::runtime_error("RedisCluster: the replicas are not in sync within 30 s");
}

RedisCluster::~RedisCluster() = default;

std::vector<unsigned short> RedisCluster::ports() const {
  std::vector<unsigned short> all;
  for (const auto& node : nodes_) all.push_back(node->port());
  return all;
}

std::string RedisCluster::seed_list() const {
  std::string list;
  for (const auto port : ports())
    list += (list.empty() ? "" : ",") + std::string("127.0.0.1:") + std::to_string(port);
  return list;
}

std::optional<unsigned short> RedisCluster::primary_of_slot(std::uint16_t slot,
                                                            unsigned short asked_port) const {
  const auto ranges = ask_redis(asked_port, {"CLUSTER", "SLOTS"});
  if (!ranges || ranges->type != REDIS_REPLY_ARRAY) return std::nullopt;
  return slot_owner(*ranges, slot);
}

std::vector<unsigned short> RedisCluster::primaries(unsigned short asked_port) const {
  std::vector<unsigned short> found;
  for (const std::uint16_t slot : {0, 5461, 10923})
    if (const auto owner = primary_of_slot(slot, asked_port)) found.push_back(*owner);
  return found;
}

void RedisCluster::move_slot(std::uint16_t slot, unsigned short to_port,
                             std::size_t keys_per_batch) {
  const auto from_port = primary_of_slot(slot, to_port);
  if (!from_port) throw std::runtime_error("move_slot: no owner of slot " + std::to_string(slot));
  if (*from_port == to_port) return;
  auto ask = [](unsigned short port, const std::vector<std::string>& args) {
    auto reply = ask_redis(port, args, std::chrono::seconds(10));
    if (!reply || reply->type == REDIS_REPLY_ERROR)
      throw std::runtime_error("move_slot: " + args[0] + " " + args[1] + " on " +
                               std::to_string(port) + " failed" +
                               (reply ? ": " + std::string(reply->str, reply->len) : ""));
    return reply;
  };
  auto id_of = [&](unsigned short port) {
    const auto reply = ask(port, {"CLUSTER", "MYID"});
    return std::string(reply->str, reply->len);
  };
  const std::string from_id = id_of(*from_port);
  const std::string to_id = id_of(to_port);
  const std::string number = std::to_string(slot);
  ask(to_port, {"CLUSTER", "SETSLOT", number, "IMPORTING", from_id});
  ask(*from_port, {"CLUSTER", "SETSLOT", number, "MIGRATING", to_id});
  for (;;) {
    const auto keys =
        ask(*from_port, {"CLUSTER", "GETKEYSINSLOT", number, std::to_string(keys_per_batch)});
    if (keys->elements == 0) break;
    std::vector<std::string> migrate = {"MIGRATE", "127.0.0.1", std::to_string(to_port), "", "0",
                                        "10000",   "KEYS"};
    for (std::size_t i = 0; i < keys->elements; ++i)
      migrate.emplace_back(keys->element[i]->str, keys->element[i]->len);
    ask(*from_port, migrate);
  }
  // The target first: once the source lets go, clients it sends on must find an owner there.
  ask(to_port, {"CLUSTER", "SETSLOT", number, "NODE", to_id});
  ask(*from_port, {"CLUSTER", "SETSLOT", number, "NODE", to_id});
  for (const auto port : primaries(to_port))
    if (port != to_port && port != *from_port)
      ask(port, {"CLUSTER", "SETSLOT", number, "NODE", to_id});
}

RedisServer& RedisCluster::node(unsigned short port) {
  for (auto& node : nodes_)
    if (node->port() == port) return *node;
  throw std::invalid_argument("RedisCluster: no node on port " + std::to_string(port));
}

bool RedisCluster::wait_until_ok(std::chrono::milliseconds timeout) const {
  return wait_until(
      [&] {
        for (const auto& node : nodes_) {
          if (!node->ping()) continue;  // killed or paused by the test
          const auto info = ask_redis(node->port(), {"CLUSTER", "INFO"});
          if (!info || info->type != REDIS_REPLY_STRING) return false;
          const std::string_view text(info->str, info->len);
          if (text.find("cluster_state:ok") == text.npos ||
              text.find("cluster_slots_ok:16384") == text.npos)
            return false;
        }
        return true;
      },
      timeout);
}

}  // namespace puente::test
