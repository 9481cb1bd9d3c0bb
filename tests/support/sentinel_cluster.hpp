#pragma once
// A Redis Sentinel deployment for one test, all on free loopback ports: a primary, one replica
// of it, and three sentinels monitoring it as "puente" with quorum 2 (a majority of three, as
// in deploy/redis/sentinel.conf):
//
//   sentinel monitor puente 127.0.0.1 <primary port> 2
//   sentinel down-after-milliseconds puente 1000   (production: 5000)
//   sentinel failover-timeout puente 3000          (production: 60000)
//
// The short times make a failover take a few seconds instead of a minute. The sentinels are
// `redis-server <config> --sentinel` (the same binary; Debian's redis-sentinel package is a
// link to it), each with its own config file in the cluster's temp dir, which they rewrite as
// they learn about each other.
//
// The constructor returns once the deployment can fail over: the replica is in sync and every
// sentinel knows the primary, the replica and both other sentinels (they find each other
// through hello messages on the primary, every 2 s). Every wait is bounded (30 s); a deployment
// that does not come up throws std::runtime_error naming what is missing. Everything is killed
// and removed when the object goes. Not thread-safe.

#include "child_process.hpp"
#include "redis_server.hpp"
#include "temp_dir.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace puente::test {

class SentinelCluster {
 public:
  static constexpr const char* master_name = "puente";
  static constexpr std::chrono::milliseconds default_deadline{30'000};

  SentinelCluster();
  ~SentinelCluster();

  SentinelCluster(const SentinelCluster&) = delete;
  SentinelCluster& operator=(const SentinelCluster&) = delete;

  const std::string& host() const { return host_; }                 // always "127.0.0.1"
  unsigned short primary_port() const { return primary_->port(); }  // the primary at start
  unsigned short replica_port() const { return replica_->port(); }  // promoted by a failover
  const std::vector<unsigned short>& sentinel_ports() const { return sentinel_ports_; }

  // "127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3", as puented's --sentinels takes them.
  std::string sentinel_list() const;
  // The replica at start (pause() it to hold replication back).
  RedisServer& replica() { return *replica_; }

  // SIGKILL the primary: no shutdown, no goodbye to the sentinels or the replica.
  void kill_primary();
  // Waits until every sentinel names `port` as the primary and the server there says it is a
  // master (ROLE): the failover is over. False if that does not happen within `timeout`.
  bool wait_for_primary(unsigned short port,
                        std::chrono::milliseconds timeout = default_deadline) const;

  // What one sentinel answers to SENTINEL get-master-addr-by-name, if it answers.
  std::optional<unsigned short> primary_named_by(unsigned short sentinel_port) const;
  // The first element of ROLE on a server: "master" or "slave"; nullopt if it does not answer.
  std::optional<std::string> role_of(unsigned short port) const;

 private:
  void start_sentinel(int index);
  // Throws naming `what` if `condition` does not hold within default_deadline.
  template <typename Condition>
  void await(const std::string& what, Condition&& condition) const;

  std::string host_ = "127.0.0.1";
  TempDir dir_;  // the sentinels' configs and logs
  std::unique_ptr<RedisServer> primary_;
  std::unique_ptr<RedisServer> replica_;
  std::vector<unsigned short> sentinel_ports_;
  std::vector<ChildProcess> sentinels_;  // last: killed first
};

}  // namespace puente::test
