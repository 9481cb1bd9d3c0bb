#pragma once
// Whether a node may start with the Redis access it is configured for (issue 19, item 2).
//
// Redis has no TLS here (hiredis 0.14), so what stands between Redis and whoever reaches its
// port is the network and the ACL user (deploy/redis/README.md). A node therefore refuses to
// start when it would talk without AUTH to anything that is not on its own host:
//   - the Redis address, when it is not loopback and no [redis] user is set;
//   - with Sentinel, the primary is whichever host the sentinels name, unknown at start: Redis
//     AUTH is required unless every sentinel is on loopback (a one-machine setup);
//   - a sentinel that is not on loopback, when no [redis] sentinel_user is set.
// `[redis] allow_unauthenticated_remote = true` lifts all three (a private network the operator
// vouches for). Loopback means "localhost", 127.0.0.0/8 or ::1; any other name counts as remote
// (it is not resolved here: what a name points to can change after the start).
//
// A pure function of plain data, so the decision is unit-tested without a Redis.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace puente::core {

struct RedisAccessPlan {
  std::string redis_host;                   // [redis] address (ignored with sentinels)
  std::vector<std::string> sentinel_hosts;  // [redis] sentinels; empty: no Sentinel
  bool redis_auth = false;                  // [redis] user is set
  bool sentinel_auth = false;               // [redis] sentinel_user is set
  bool allow_unauthenticated_remote = false;
};

bool is_loopback_host(std::string_view host);

// Why the node must not start with this plan (one sentence naming the host and the option that
// fixes it), or nullopt if it may.
std::optional<std::string> unprotected_redis_access(const RedisAccessPlan& plan);

}  // namespace puente::core
