#pragma once
// The [redis] lines that point a TestNetwork's nodes at a RedisCluster instead of its own Redis
// (issue 23): the cluster's nodes as seeds, and a key prefix whose hash tag binds the network
// to one slot. Passed as TestNetwork's `extra_redis`; the nodes ignore the --redis address the
// harness gives them. The harness's redis_line reads its own Redis, which sees nothing of a
// cluster network; values_holding and the leaked-token check at the end read every primary.

#include "redis_cluster.hpp"

#include <string>

namespace puente::test {

// `cluster = [...]`: every node of the cluster as a seed.
inline std::string cluster_seeds_line(const RedisCluster& cluster) {
  std::string seeds;
  for (const auto port : cluster.ports())
    seeds +=
        (seeds.empty() ? "\"" : ", \"") + std::string("127.0.0.1:") + std::to_string(port) + "\"";
  return "cluster = [" + seeds + "]\n";
}

inline std::string cluster_redis_lines(const RedisCluster& cluster, const std::string& tag = "la") {
  return cluster_seeds_line(cluster) + "key_prefix = \"puente:{" + tag + "}:\"\n";
}

}  // namespace puente::test
