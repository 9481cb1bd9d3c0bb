#pragma once
// A Redis Cluster for one test, all on free loopback ports: six redis-server processes in
// cluster mode, joined by redis-cli as an operator would join them,
//
//   redis-cli --cluster create 127.0.0.1:p1 ... 127.0.0.1:p6 --cluster-replicas 1 --cluster-yes
//
// so three primaries share the 16384 slots and each has a replica. cluster-node-timeout is
// 1000 ms (Redis's default: 15000), so a failover after a primary dies takes seconds. Each node
// is a RedisServer (AOF on, its own directory; its cluster bus on port + 10000, so a port whose
// bus would pass 65535 is given up for another at start).
//
// The constructor returns once every node says cluster_state:ok with every slot assigned and
// each replica is in sync. Every wait is bounded (30 s); a cluster that does not come up throws
// std::runtime_error naming what is missing. Everything is killed and removed when the object
// goes. Not thread-safe.

#include "redis_server.hpp"
#include "temp_dir.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace puente::test {

class RedisCluster {
 public:
  static constexpr int kPrimaries = 3;
  static constexpr std::chrono::milliseconds default_deadline{30'000};

  RedisCluster();
  ~RedisCluster();

  RedisCluster(const RedisCluster&) = delete;
  RedisCluster& operator=(const RedisCluster&) = delete;

  // Every node's port, primaries and replicas as they were created.
  std::vector<unsigned short> ports() const;
  // "127.0.0.1:p1,...,127.0.0.1:p6": where a client may start to learn the topology.
  std::string seed_list() const;

  // The primary serving `slot` now, as the node on `asked_port` sees it (CLUSTER SLOTS);
  // nullopt if it does not answer or no node serves the slot.
  std::optional<unsigned short> primary_of_slot(std::uint16_t slot,
                                                unsigned short asked_port) const;
  // The node on `port`: to kill (no shutdown, no goodbye to the others), pause or restart.
  RedisServer& node(unsigned short port);

  // The three primaries now, as the node on `asked_port` sees them (the owners of the first
  // slot of each range redis-cli made; a reshard test may have moved a slot, not a range).
  std::vector<unsigned short> primaries(unsigned short asked_port) const;

  // Moves `slot` to the primary on `to_port` as `redis-cli --cluster reshard` does: SETSLOT
  // IMPORTING on the target, MIGRATING on the source, MIGRATE of its keys `keys_per_batch` at a
  // time (redis-cli's --cluster-pipeline, 10 by default), then SETSLOT NODE on the target, the
  // source and the other primaries. Throws std::runtime_error naming the step that failed.
  void move_slot(std::uint16_t slot, unsigned short to_port, std::size_t keys_per_batch = 10);

  // Waits until every running node says cluster_state:ok and names a primary for every slot.
  bool wait_until_ok(std::chrono::milliseconds timeout = default_deadline) const;

 private:
  TempDir dir_;  // redis-cli's output
  std::vector<std::unique_ptr<RedisServer>> nodes_;
};

}  // namespace puente::test
